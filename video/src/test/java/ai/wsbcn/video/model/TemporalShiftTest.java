package ai.wsbcn.video.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.engine.Engine;
import ai.wsbcn.norm.testing.NumericAssert;
import ai.wsbcn.norm.testing.ReferenceData;
import ai.wsbcn.norm.testing.TestEngines;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The shift against PyTorch vectors of the official TSM code (exact: a shift only moves values, tolerance 0), and a
 * hand-built case at the clip borders with two clips so that no value crosses from one clip into the other.
 */
class TemporalShiftTest {

    @ParameterizedTest
    @MethodSource("ai.wsbcn.norm.testing.TestEngines#names")
    void forwardAndBackwardMatchReferenceTwoClips(String engine) {
        checkReference(engine, "tsm/tsm_n2_t8_c16_4x5.npz");
    }

    @ParameterizedTest
    @MethodSource("ai.wsbcn.norm.testing.TestEngines#names")
    void forwardAndBackwardMatchReferenceOneClipUnevenChannels(String engine) {
        checkReference(engine, "tsm/tsm_n1_t8_c20_3x3.npz");
    }

    /** Both formulations (each engine uses one by default) on every engine. */
    private static void checkReference(String engine, String file) {
        for (int variant = 0; variant < 2; variant++) {
            try (NDManager m = TestEngines.manager(engine); ReferenceData ref = ReferenceData.load(m, file)) {
                NDArray x = ref.get("x");
                NDArray g = ref.get("g");
                x.setRequiresGradient(true);
                NDArray y;
                try (GradientCollector gc = Engine.getEngine(engine).newGradientCollector()) {
                    y = variant == 0 ? TemporalShift.shiftBySlices(x, 8, 8) : TemporalShift.shiftBySplit(x, 8, 8);
                    gc.backward(y.mul(g).sum());
                }
                String what = file + (variant == 0 ? " (slices)" : " (split)");
                NumericAssert.assertAbsClose(ref.get("y"), y, 0.0, what + " y");
                NumericAssert.assertAbsClose(ref.get("dx"), x.getGradient(), 0.0, what + " dx");
            }
        }
    }

    /**
     * Clips of T = 4 frames, 4 channels, fold_div 4 (one channel each way), 1x1 pixels; value = 1000 n + 100 t + c + 1
     * so every output element names its source. Expected outputs written out by hand.
     */
    @ParameterizedTest
    @MethodSource("ai.wsbcn.norm.testing.TestEngines#names")
    void bordersAreZeroAndClipsDoNotMix(String engine) {
        int n = 2;
        int t = 4;
        int c = 4;
        float[] in = new float[n * t * c];
        for (int i = 0; i < n; i++) {
            for (int f = 0; f < t; f++) {
                for (int k = 0; k < c; k++) {
                    in[(i * t + f) * c + k] = 1000 * i + 100 * f + k + 1;
                }
            }
        }
        float[] expected = {
            // clip 0: channel 0 from t+1, channel 1 from t-1, channels 2,3 unchanged
            101, 0, 3, 4,
            201, 2, 103, 104,
            301, 102, 203, 204,
            0, 202, 303, 304,
            // clip 1: same pattern, never values of clip 0
            1101, 0, 1003, 1004,
            1201, 1002, 1103, 1104,
            1301, 1102, 1203, 1204,
            0, 1202, 1303, 1304,
        };
        try (NDManager m = TestEngines.manager(engine)) {
            NDArray x = m.create(in, new Shape(n * t, c, 1, 1));
            float[] y = TemporalShift.builder().optNSegment(t).optFoldDiv(4).build()
                    .forward(new ai.djl.training.ParameterStore(m, false), new ai.djl.ndarray.NDList(x), false)
                    .singletonOrThrow().toFloatArray();
            float[] slices = TemporalShift.shiftBySlices(x, t, 4).toFloatArray();
            float[] split = TemporalShift.shiftBySplit(x, t, 4).toFloatArray();
            assertEquals(expected.length, y.length);
            for (int i = 0; i < y.length; i++) {
                assertEquals(expected[i], y[i], 0f, "element " + i);
                assertEquals(expected[i], slices[i], 0f, "slices, element " + i);
                assertEquals(expected[i], split[i], 0f, "split, element " + i);
            }
        }
    }
}
