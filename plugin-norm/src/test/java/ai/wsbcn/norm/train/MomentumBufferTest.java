package ai.wsbcn.norm.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.wsbcn.norm.testing.TestEngines;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * The fused step against PyTorch's SGD rule computed here in double precision, step by step, under a schedule that
 * moves every way the buffer's rescaling has to handle: constant, down, up, through 0 and back. Tolerance: 1e-5
 * relative to the largest weight (float32 arithmetic over 8 steps of order-1 values).
 */
class MomentumBufferTest {

    private static final float[] RATES = {0.5f, 0.5f, 0.1f, 0.3f, 0f, 0f, 0.2f, 0.2f};
    private static final float MOMENTUM = 0.9f;
    private static final float DECAY = 0.05f;
    private static final float GRAD_SCALE = 0.75f;
    private static final Shape SHAPE = new Shape(3, 4);

    private static float[] gradient(int step) {
        float[] g = new float[12];
        for (int i = 0; i < g.length; i++) {
            g[i] = (float) Math.sin(1.3 * i + 0.7 * step) * (1 + i % 3);
        }
        return g;
    }

    private static float[] start() {
        float[] w = new float[12];
        for (int i = 0; i < w.length; i++) {
            w[i] = (i - 6) * 0.25f;
        }
        return w;
    }

    /** PyTorch's rule in double: d = s g + wd w; buf = m buf + d (d at step 0); w -= lr buf. */
    private static double[][] reference() {
        double[][] weights = new double[RATES.length][];
        double[] w = new double[12];
        float[] w0 = start();
        for (int i = 0; i < 12; i++) {
            w[i] = w0[i];
        }
        double[] buf = null;
        for (int s = 0; s < RATES.length; s++) {
            float[] g = gradient(s);
            double[] d = new double[12];
            for (int i = 0; i < 12; i++) {
                d[i] = (double) GRAD_SCALE * g[i] + (double) DECAY * w[i];
            }
            if (buf == null) {
                buf = d;
            } else {
                for (int i = 0; i < 12; i++) {
                    buf[i] = MOMENTUM * buf[i] + d[i];
                }
            }
            for (int i = 0; i < 12; i++) {
                w[i] -= RATES[s] * buf[i];
            }
            weights[s] = w.clone();
        }
        return weights;
    }

    private static void assertClose(double[] expected, float[] actual, String what) {
        double scale = 0;
        for (double e : expected) {
            scale = Math.max(scale, Math.abs(e));
        }
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], 1e-5 * scale, what + " [" + i + "]");
        }
    }

    @ParameterizedTest
    @MethodSource("ai.wsbcn.norm.testing.TestEngines#names")
    void followsPyTorchSgdWhileTheRateMovesAndPassesThroughZero(String engine) {
        double[][] expected = reference();
        try (NDManager m = TestEngines.manager(engine); MomentumBuffer buffer = MomentumBuffer.empty()) {
            NDArray w = m.create(start(), SHAPE);
            assertNull(buffer.plainCopy());
            for (int s = 0; s < RATES.length; s++) {
                NDArray g = m.create(gradient(s), SHAPE);
                buffer.step(w, g, RATES[s], MOMENTUM, DECAY, GRAD_SCALE);
                assertArrayEquals(gradient(s), g.toFloatArray(), 0f, "the gradient is left as it was");
                assertClose(expected[s], w.toFloatArray(), "step " + s + " (lr " + RATES[s] + ")");
            }
        }
    }

    /**
     * A checkpoint stores PyTorch's buffer: restoring it mid-run (between a rate change and the next) continues
     * exactly like the uninterrupted run.
     */
    @ParameterizedTest
    @MethodSource("ai.wsbcn.norm.testing.TestEngines#names")
    void aRestoredBufferContinuesTheRun(String engine) {
        double[][] expected = reference();
        try (NDManager m = TestEngines.manager(engine)) {
            NDArray w = m.create(start(), SHAPE);
            MomentumBuffer first = MomentumBuffer.empty();
            for (int s = 0; s < 3; s++) {
                first.step(w, m.create(gradient(s), SHAPE), RATES[s], MOMENTUM, DECAY, GRAD_SCALE);
            }
            // the plain buffer after 3 steps, from the reference: buf = (w_2 - w_3) / lr_2
            NDArray saved = first.plainCopy();
            float[] plain = saved.toFloatArray();
            for (int i = 0; i < 12; i++) {
                double buf = (expected[1][i] - expected[2][i]) / RATES[2];
                assertEquals(buf, plain[i], 1e-4 * Math.max(1, Math.abs(buf)), "buffer [" + i + "]");
            }
            first.close();
            try (MomentumBuffer restored = MomentumBuffer.of(saved)) {
                for (int s = 3; s < RATES.length; s++) {
                    restored.step(w, m.create(gradient(s), SHAPE), RATES[s], MOMENTUM, DECAY, GRAD_SCALE);
                    assertClose(expected[s], w.toFloatArray(), "resumed step " + s);
                }
            }
        }
    }

    /** The stored state and scale restore the buffer bit for bit: the continued run equals the uninterrupted one. */
    @ParameterizedTest
    @MethodSource("ai.wsbcn.norm.testing.TestEngines#names")
    void aStoredBufferResumesBitForBit(String engine) {
        try (NDManager m = TestEngines.manager(engine)) {
            NDArray straight = m.create(start(), SHAPE);
            NDArray resumed = m.create(start(), SHAPE);
            try (MomentumBuffer a = MomentumBuffer.empty(); MomentumBuffer b = MomentumBuffer.empty()) {
                for (int s = 0; s < 3; s++) {
                    a.step(straight, m.create(gradient(s), SHAPE), RATES[s], MOMENTUM, DECAY, GRAD_SCALE);
                    b.step(resumed, m.create(gradient(s), SHAPE), RATES[s], MOMENTUM, DECAY, GRAD_SCALE);
                }
                try (MomentumBuffer c = MomentumBuffer.restore(b.storedCopy(), b.storedScale())) {
                    for (int s = 3; s < RATES.length; s++) {
                        a.step(straight, m.create(gradient(s), SHAPE), RATES[s], MOMENTUM, DECAY, GRAD_SCALE);
                        c.step(resumed, m.create(gradient(s), SHAPE), RATES[s], MOMENTUM, DECAY, GRAD_SCALE);
                        assertArrayEquals(straight.toFloatArray(), resumed.toFloatArray(), 0f, "step " + s);
                    }
                }
            }
        }
    }

    @ParameterizedTest
    @MethodSource("ai.wsbcn.norm.testing.TestEngines#names")
    void withoutMomentumItIsPlainSgd(String engine) {
        try (NDManager m = TestEngines.manager(engine); MomentumBuffer buffer = MomentumBuffer.empty()) {
            NDArray w = m.create(new float[] {1f, -2f});
            buffer.step(w, m.create(new float[] {0.5f, 0.25f}), 0.1f, 0f, 0.5f, 2f);
            // d = 2 g + 0.5 w = [1.5, -0.5]; w -= 0.1 d
            assertArrayEquals(new float[] {0.85f, -1.95f}, w.toFloatArray(), 1e-6f);
            assertNull(buffer.plainCopy(), "no buffer is kept without momentum");
        }
    }

    /**
     * On MXNet with MKL-DNN an inference convolution re-lays its weight out in place; the fused operator must still
     * read and write it correctly (and the next convolution see the updated values).
     */
    @ParameterizedTest
    @MethodSource("ai.wsbcn.norm.testing.TestEngines#names")
    void updatesAWeightAnInferenceConvolutionReLaidOut(String engine) {
        Shape weightShape = new Shape(8, 4, 3, 3);
        Shape inputShape = new Shape(1, 4, 6, 6);
        try (NDManager m = TestEngines.manager(engine); MomentumBuffer buffer = MomentumBuffer.empty()) {
            NDArray x = m.randomNormal(inputShape);
            NDArray w = m.randomNormal(weightShape);
            convolve(x, w).sum().getFloat();
            float[] before = w.toFloatArray();
            float[] g = new float[before.length];
            for (int i = 0; i < g.length; i++) {
                g[i] = (i % 7 - 3) * 0.1f;
            }
            buffer.step(w, m.create(g, weightShape), 0.5f, MOMENTUM, 0f, 1f);
            float[] expected = new float[before.length];
            for (int i = 0; i < g.length; i++) {
                expected[i] = before[i] - 0.5f * g[i];
            }
            assertArrayEquals(expected, w.toFloatArray(), 1e-6f);
            NDArray fresh = m.create(expected, weightShape);
            assertArrayEquals(convolve(x, fresh).toFloatArray(), convolve(x, w).toFloatArray(), 1e-5f);
        }
    }

    private static NDArray convolve(NDArray x, NDArray w) {
        return x.getNDArrayInternal().convolution(x, w, null, new Shape(1, 1), new Shape(1, 1), new Shape(1, 1), 1)
                .singletonOrThrow();
    }
}
