package ai.wsbcn.detection.ops;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import ai.wsbcn.norm.testing.NumericAssert;
import ai.wsbcn.norm.testing.ReferenceData;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.fail;

/** The 16 torchvision roi_align reference files and the forward + backward check shared by the RoIAlign tests. */
final class RoiAlignReference {

    /** The reference README's RoIAlign tolerance: 1e-5 absolute (forward). */
    static final double TOL = 1e-5;

    /**
     * Feature gradients accumulate hundreds of float32 terms and reach ~17, where one float32 ulp is 1.9e-6, so
     * summation order alone moves them by a few ulps (MXNet's own kernel, torchvision's loop order, differs from the
     * reference by 1.05e-5 there): 1e-5 absolute plus 1e-6 relative to the reference value.
     */
    static final double GRAD_REL = 1e-6;

    private RoiAlignReference() {}

    record Case(String file, float scale, int out, int samplingRatio, boolean aligned) {
        @Override
        public String toString() {
            return file;
        }
    }

    static List<Case> cases() {
        List<Case> cases = new ArrayList<>();
        for (String s : new String[] {"1-4", "1-16"}) {
            for (int o : new int[] {7, 14}) {
                for (int sr : new int[] {2, 0}) {
                    for (int al = 0; al < 2; al++) {
                        String file = "roi_align_s" + s + "_o" + o + "_sr" + sr + "_al" + al + ".npz";
                        float scale = s.equals("1-4") ? 0.25f : 0.0625f;
                        cases.add(new Case(file, scale, o, sr, al == 1));
                    }
                }
            }
        }
        return cases;
    }

    /** Asserts |actual - expected| <= abs + rel * |expected| elementwise, and equal shapes. */
    static void assertClose(NDArray expected, NDArray actual, double abs, double rel, String what) {
        assertArrayEquals(expected.getShape().getShape(), actual.getShape().getShape(), what + ": shape");
        double[] e = NumericAssert.toDoubles(expected);
        double[] a = NumericAssert.toDoubles(actual);
        for (int i = 0; i < e.length; i++) {
            double d = Math.abs(a[i] - e[i]);
            if (!(d <= abs + rel * Math.abs(e[i]))) {
                fail(String.format("%s: |%g - %g| = %.3e at flat index %d > %.1e + %.1e*|ref|", what, a[i], e[i], d,
                        i, abs, rel));
            }
        }
    }

    /** Runs {@code ops} on the file's features/rois; asserts output and d sum(out*g)/d features within TOL. */
    static void check(DetectionOps ops, NDManager manager, Case c) {
        try (NDManager m = manager.newSubManager(); ReferenceData ref = ReferenceData.load(m, "ops/" + c.file())) {
            NDArray features = ref.get("features");
            features.setRequiresGradient(true);
            NDArray out;
            try (GradientCollector gc = Engine.getEngine(m.getEngine().getEngineName()).newGradientCollector()) {
                out = ops.roiAlign(features, ref.get("rois"), c.out(), c.out(), c.scale(), c.samplingRatio(),
                        c.aligned());
                gc.backward(out.mul(ref.get("g")).sum());
            }
            NumericAssert.assertAbsClose(ref.get("out"), out, TOL, c.file() + " forward");
            assertClose(ref.get("dfeatures"), features.getGradient(), TOL, GRAD_REL, c.file() + " backward");
        }
    }
}
