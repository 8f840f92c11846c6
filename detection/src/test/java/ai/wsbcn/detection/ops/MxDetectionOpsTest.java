package ai.wsbcn.detection.ops;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.wsbcn.norm.testing.NumericAssert;
import ai.wsbcn.norm.testing.ReferenceData;
import ai.wsbcn.norm.testing.TestEngines;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** MXNet's native ROIAlign operator against all 16 torchvision references (forward and backward). */
class MxDetectionOpsTest {

    static List<RoiAlignReference.Case> cases() {
        return RoiAlignReference.cases();
    }

    static List<RoiAlignReference.Case> alignedCases() {
        return RoiAlignReference.cases().stream().filter(RoiAlignReference.Case::aligned).toList();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void matchesTorchvisionForwardAndBackward(RoiAlignReference.Case c) {
        try (NDManager m = TestEngines.manager(TestEngines.MXNET)) {
            RoiAlignReference.check(new MxDetectionOps(), m, c);
        }
    }

    /**
     * The aligned reference files contain an empty RoI (x1 == x2) on which MXNet's operator aborts the process, so
     * MxDetectionOps routes such calls to the portable implementation and the reference test above exercises that
     * route for them. Here the native aligned operator itself runs on the non-empty RoIs and must equal the portable
     * (reference-verified) result: forward 1e-5 absolute, gradient 1e-5 + 1e-6 relative.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("alignedCases")
    void nativeAlignedOperatorEqualsPortableOnNonEmptyRois(RoiAlignReference.Case c) {
        try (NDManager m = TestEngines.manager(TestEngines.MXNET);
             ReferenceData ref = ReferenceData.load(m, "ops/" + c.file())) {
            float[] rois = ref.get("rois").toFloatArray();
            float[] kept = new float[rois.length];
            int n = 0;
            for (int i = 0; i < rois.length / 5; i++) {
                if (rois[5 * i + 3] > rois[5 * i + 1] && rois[5 * i + 4] > rois[5 * i + 2]) {
                    System.arraycopy(rois, 5 * i, kept, 5 * n++, 5);
                }
            }
            assertTrue(5 * n < rois.length, "the file has an empty roi");
            NDArray roiArray = m.create(Arrays.copyOf(kept, 5 * n), new Shape(n, 5));
            NDArray[] results = new NDArray[4];
            DetectionOps[] impls = {new MxDetectionOps(), new PortableDetectionOps()};
            for (int i = 0; i < 2; i++) {
                NDArray f = ref.get("features").duplicate();
                f.setRequiresGradient(true);
                try (GradientCollector gc = Engine.getEngine(TestEngines.MXNET).newGradientCollector()) {
                    NDArray y = impls[i].roiAlign(f, roiArray, c.out(), c.out(), c.scale(), c.samplingRatio(), true);
                    gc.backward(y.mul(y.getManager().arange((float) y.size()).reshape(y.getShape()).mul(1e-3f))
                            .sum());
                    results[2 * i] = y;
                }
                results[2 * i + 1] = f.getGradient();
            }
            NumericAssert.assertAbsClose(results[2], results[0], RoiAlignReference.TOL, c.file() + " forward");
            RoiAlignReference.assertClose(results[3], results[1], RoiAlignReference.TOL, RoiAlignReference.GRAD_REL,
                    c.file() + " backward");
        }
    }

    @Test
    void malformedRoisAreSafe() {
        try (NDManager m = TestEngines.manager(TestEngines.MXNET)) {
            NDArray f = m.ones(new Shape(1, 2, 8, 8));
            NDArray nan = m.create(new float[] {0, Float.NaN, 1, 4, 5, 0, 1, 1, 3, 3}, new Shape(2, 5));
            for (DetectionOps ops : new DetectionOps[] {new MxDetectionOps(), new PortableDetectionOps()}) {
                for (boolean aligned : new boolean[] {false, true}) {
                    for (int sr : new int[] {2, 0}) {
                        float[] y = ops.roiAlign(f, nan, 2, 2, 1f, sr, aligned).toFloatArray();
                        for (int i = 0; i < 8; i++) {
                            assertEquals(0f, y[i], "NaN roi samples nothing (torchvision: zeros)");
                        }
                        for (int i = 8; i < 16; i++) {
                            assertEquals(1f, y[i], 1e-6f, "a valid roi on a constant map");
                        }
                    }
                }
                NDArray badBatch = m.create(new float[] {1, 0, 0, 2, 2}, new Shape(1, 5));
                assertThrows(IllegalArgumentException.class, () -> ops.roiAlign(f, badBatch, 2, 2, 1f, 2, false));
            }
        }
    }

    @Test
    void forManagerPicksTheEngineImplementation() {
        try (NDManager mx = TestEngines.manager(TestEngines.MXNET);
             NDManager pt = TestEngines.manager(TestEngines.PYTORCH)) {
            assertInstanceOf(MxDetectionOps.class, DetectionOps.forManager(mx));
            assertInstanceOf(PortableDetectionOps.class, DetectionOps.forManager(pt));
        }
    }
}
