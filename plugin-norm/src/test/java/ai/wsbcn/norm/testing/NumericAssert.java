package ai.wsbcn.norm.testing;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** Comparisons with stated tolerances, computed in double on the host so the check itself adds no error. */
public final class NumericAssert {

    /** The tolerance the reference README states for float32 normalisation layers. */
    public static final double REL_TOL = 1e-4;

    private NumericAssert() {}

    /** Asserts {@code ||actual - expected|| / ||expected|| < tol} (Frobenius norms) and equal shapes. */
    public static void assertRelClose(NDArray expected, NDArray actual, double tol, String what) {
        assertArrayEquals(expected.getShape().getShape(), actual.getShape().getShape(), what + ": shape");
        double[] e = toDoubles(expected);
        double[] a = toDoubles(actual);
        double diff = 0;
        double ref = 0;
        for (int i = 0; i < e.length; i++) {
            if (!Double.isFinite(a[i])) {
                fail(what + ": non-finite value " + a[i] + " at flat index " + i);
            }
            double d = a[i] - e[i];
            diff += d * d;
            ref += e[i] * e[i];
        }
        double rel = ref == 0 ? Math.sqrt(diff) : Math.sqrt(diff / ref);
        assertTrue(rel < tol, () -> String.format("%s: relative error %.3e >= %.1e", what, rel, tol));
    }

    public static void assertRelClose(NDArray expected, NDArray actual, String what) {
        assertRelClose(expected, actual, REL_TOL, what);
    }

    /** Asserts every element within {@code tol} absolute. */
    public static void assertAbsClose(NDArray expected, NDArray actual, double tol, String what) {
        assertArrayEquals(expected.getShape().getShape(), actual.getShape().getShape(), what + ": shape");
        double[] e = toDoubles(expected);
        double[] a = toDoubles(actual);
        double worst = 0;
        int at = -1;
        for (int i = 0; i < e.length; i++) {
            double d = Math.abs(a[i] - e[i]);
            if (!(d <= worst)) {
                worst = d;
                at = i;
            }
        }
        final double w = worst;
        final int idx = at;
        assertTrue(w <= tol, () -> String.format("%s: max abs error %.3e at flat index %d > %.1e", what, w, idx, tol));
    }

    public static double[] toDoubles(NDArray a) {
        return a.toType(DataType.FLOAT64, false).toDoubleArray();
    }
}
