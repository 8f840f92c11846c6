package ai.wsbcn.norm.engine;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.wsbcn.norm.WsConvention;
import ai.wsbcn.norm.testing.TestEngines;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The host route of weight standardisation (MXNet only) against a double-precision evaluation of the definition:
 * W_hat from the convention's formula, and the weight gradient of {@code L = sum(G * W_hat)} by central finite
 * differences of that formula (independent of the closed form under test). Tolerances: W_hat 1e-5 and gradients
 * 1e-4, relative to the largest magnitude of the row's expected values (single precision against double), plus,
 * for W_hat, the rounding of a row mean far from zero to single precision.
 */
class HostRowStandardizationTest {

    @AfterEach
    void clearProperties() {
        System.clearProperty(HostRowStandardization.PROPERTY);
        System.clearProperty(NormKernels.ROUTE_PROPERTY);
    }

    /**
     * Shapes: 3x3 and 1x1 kernels, a 2-D weight, rows longer than one 512-element lane flush and not a multiple of
     * the 8 lanes, a weight split over several parallel tasks, and rows of mean 10 and spread 0.01 (a variance from
     * E[x^2] - mean^2 in single precision would be off by tens of percent there).
     */
    @ParameterizedTest
    @EnumSource(WsConvention.class)
    void matchesTheDefinitionForwardAndBackward(WsConvention convention) {
        Shape[] shapes = {new Shape(8, 4, 3, 3), new Shape(16, 8, 1, 1), new Shape(6, 10), new Shape(3, 1100),
            new Shape(300, 200), new Shape(4, 2, 3, 3)};
        double[] offsets = {0, 0, 0.3, -1, 0, 10};
        double[] spreads = {0.1, 1, 0.05, 0.2, 0.02, 0.01};
        float eps = 1e-5f;
        try (NDManager m = TestEngines.manager(TestEngines.MXNET)) {
            Random rnd = new Random(11);
            for (int s = 0; s < shapes.length; s++) {
                Shape shape = shapes[s];
                int rows = (int) shape.get(0);
                int cols = (int) (shape.size() / rows);
                float[] w = new float[rows * cols];
                float[] g = new float[rows * cols];
                for (int i = 0; i < w.length; i++) {
                    w[i] = (float) (offsets[s] + spreads[s] * rnd.nextGaussian());
                    g[i] = (float) rnd.nextGaussian();
                }
                // W_hat = (W - mean) * scale in single precision: the mean rounded to a float shifts every value by
                // up to half an ulp of the offset, times the scale (1 / spread); allowed on top of the tolerance
                double meanRounding = Math.ulp((float) offsets[s]) / spreads[s];
                NDArray weight = m.create(w, shape);
                HostRowStandardization.Rows held = new HostRowStandardization.Rows(weight, eps, convention);
                HostRowStandardization.Rows[] all = {held};
                HostRowStandardization.standardize(all);
                NDArray dw = m.zeros(shape);
                HostRowStandardization.backward(all, new NDArray[] {m.create(g, shape)}, new NDArray[] {dw});
                float[] wHat = held.standardized().toFloatArray();
                float[] grad = dw.toFloatArray();
                for (int r = 0; r < rows; r++) {
                    double[] row = new double[cols];
                    double[] gRow = new double[cols];
                    for (int j = 0; j < cols; j++) {
                        row[j] = w[r * cols + j];
                        gRow[j] = g[r * cols + j];
                    }
                    String what = convention + " " + shape + " row " + r;
                    assertRowClose(standardized(row, eps, convention), wHat, r * cols, 1e-5, meanRounding,
                            what + " W_hat");
                    assertRowClose(finiteDifferenceGradient(row, gRow, eps, convention), grad, r * cols, 1e-4, 0,
                            what + " gradient");
                }
            }
        }
    }

    /** A second standardisation into the same arrays follows the new weight values (the arrays are reused). */
    @Test
    void restandardisesInPlaceAfterTheWeightChanges() {
        try (NDManager m = TestEngines.manager(TestEngines.MXNET)) {
            NDArray weight = m.create(new float[] {1, 2, 3, 4, -2, 0, 0, 2}, new Shape(2, 4));
            HostRowStandardization.Rows held = new HostRowStandardization.Rows(weight, 0f, WsConvention.BIASED_VAR);
            HostRowStandardization.standardize(new HostRowStandardization.Rows[] {held});
            NDArray first = held.standardized();
            // row 0: mean 2.5, biased variance 1.25; row 1: mean 0, variance 2
            double a = 1 / Math.sqrt(1.25);
            double b = 1 / Math.sqrt(2);
            assertClose(new double[] {-1.5 * a, -0.5 * a, 0.5 * a, 1.5 * a, -2 * b, 0, 0, 2 * b},
                    first.toFloatArray());
            weight.set(java.nio.FloatBuffer.wrap(new float[] {0, 0, 0, 4, 1, 1, 3, 3}));
            HostRowStandardization.standardize(new HostRowStandardization.Rows[] {held});
            assertTrue(first == held.standardized(), "the same array");
            // row 0: mean 1, variance 3; row 1: mean 2, variance 1
            double c = 1 / Math.sqrt(3);
            assertClose(new double[] {-c, -c, -c, 3 * c, -1, -1, 1, 1}, held.standardized().toFloatArray());
        }
    }

    /**
     * The kept W_hat lives under the weight's manager but not directly in it: a trainer's sweep of the arrays a step
     * left in that manager ({@code TransientArrays}) must not free it, or the next hold would write freed memory.
     */
    @Test
    void keptArraysSurviveASweepOfTheWeightsManager() {
        try (NDManager m = TestEngines.manager(TestEngines.MXNET)) {
            NDArray weight = m.create(new float[] {1, 2, 3, 4, -2, 0, 0, 2}, new Shape(2, 4));
            ai.wsbcn.norm.train.TransientArrays sweep = new ai.wsbcn.norm.train.TransientArrays(m);
            sweep.mark();
            HostRowStandardization.Rows held = new HostRowStandardization.Rows(weight, 0f, WsConvention.BIASED_VAR);
            HostRowStandardization.standardize(new HostRowStandardization.Rows[] {held});
            NDArray transientArray = weight.add(1); // a step's leftover in the weight's manager
            assertEquals(1, sweep.sweep());
            assertTrue(transientArray.isReleased(), "the step's leftover is swept");
            assertFalse(held.standardized().isReleased(), "the kept W_hat is not");
            assertTrue(held.serves(weight, 0f, WsConvention.BIASED_VAR));
            held.close();
            assertTrue(held.standardized().isReleased());
            assertFalse(held.serves(weight, 0f, WsConvention.BIASED_VAR), "closed rows serve nobody");
        }
    }

    @Test
    void appliesOnlyToMxnetFloatArraysUnderTheFusedRoute() {
        try (NDManager m = TestEngines.manager(TestEngines.MXNET)) {
            NDArray w = m.ones(new Shape(4, 2, 3, 3));
            assertTrue(HostRowStandardization.supports(w));
            assertFalse(HostRowStandardization.supports(w.toType(ai.djl.ndarray.types.DataType.FLOAT64, false)));
            assertFalse(HostRowStandardization.supports(m.ones(new Shape(4))), "a vector");
            System.setProperty(HostRowStandardization.PROPERTY, "false");
            assertFalse(HostRowStandardization.supports(w), "switched off");
            System.clearProperty(HostRowStandardization.PROPERTY);
            System.setProperty(NormKernels.ROUTE_PROPERTY, "portable");
            assertFalse(HostRowStandardization.supports(w), "portable route");
        }
        if (TestEngines.names().anyMatch(TestEngines.PYTORCH::equals)) {
            try (NDManager m = TestEngines.manager(TestEngines.PYTORCH)) {
                assertFalse(HostRowStandardization.supports(m.ones(new Shape(4, 2, 3, 3))), "PyTorch");
            }
        }
    }

    @Test
    void rejectsOneElementRowsUnderAnUnbiasedConvention() {
        try (NDManager m = TestEngines.manager(TestEngines.MXNET)) {
            NDArray w = m.ones(new Shape(4, 1, 1, 1));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> new HostRowStandardization.Rows(w, 1e-5f, WsConvention.UNBIASED_VAR));
            assertTrue(e.getMessage().contains("at least 2 elements"), e.getMessage());
        }
    }

    private static double[] standardized(double[] row, double eps, WsConvention convention) {
        int n = row.length;
        double mean = 0;
        for (double v : row) {
            mean += v / n;
        }
        double squares = 0;
        for (double v : row) {
            squares += (v - mean) * (v - mean);
        }
        double scale;
        switch (convention) {
            case BIASED_VAR:
                scale = 1 / Math.sqrt(squares / n + eps);
                break;
            case UNBIASED_VAR:
                scale = 1 / Math.sqrt(squares / (n - 1) + eps);
                break;
            default:
                scale = 1 / (Math.sqrt(squares / (n - 1)) + eps);
        }
        double[] out = new double[n];
        for (int j = 0; j < n; j++) {
            out[j] = (row[j] - mean) * scale;
        }
        return out;
    }

    private static double[] finiteDifferenceGradient(double[] row, double[] g, double eps, WsConvention convention) {
        double[] grad = new double[row.length];
        double spread = 0;
        for (double v : row) {
            spread = Math.max(spread, Math.abs(v - row[0]));
        }
        double h = 1e-4 * Math.max(spread, 1e-6);
        for (int j = 0; j < row.length; j++) {
            double keep = row[j];
            row[j] = keep + h;
            double up = dot(g, standardized(row, eps, convention));
            row[j] = keep - h;
            double down = dot(g, standardized(row, eps, convention));
            row[j] = keep;
            grad[j] = (up - down) / (2 * h);
        }
        return grad;
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    private static void assertRowClose(double[] expected, float[] actual, int offset, double tol, double absTol,
            String what) {
        double scale = 0;
        double worst = 0;
        for (int j = 0; j < expected.length; j++) {
            scale = Math.max(scale, Math.abs(expected[j]));
            worst = Math.max(worst, Math.abs(actual[offset + j] - expected[j]));
        }
        assertTrue(worst <= tol * scale + absTol, what + ": worst error " + worst + " against scale " + scale);
    }

    private static void assertClose(double[] expected, float[] actual) {
        assertEquals(expected.length, actual.length);
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], 1e-6, "element " + i);
        }
    }
}
