package ai.wsbcn.segmentation.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.wsbcn.norm.testing.TestEngines;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Cross-entropy with ignore 255 against a direct double-precision computation, value and gradient. */
class SegmentationLossTest {

    @ParameterizedTest
    @MethodSource("ai.wsbcn.norm.testing.TestEngines#names")
    void matchesDirectComputation(String engine) {
        try (NDManager m = TestEngines.manager(engine)) {
            int n = 2;
            int k = 4;
            int h = 3;
            int w = 5;
            SplittableRandom rng = new SplittableRandom(4);
            float[] z = new float[n * k * h * w];
            for (int i = 0; i < z.length; i++) {
                z[i] = (float) rng.nextGaussian() * 2;
            }
            int[] lab = new int[n * h * w];
            int valid = 0;
            for (int i = 0; i < lab.length; i++) {
                lab[i] = rng.nextInt(5) == 0 ? 255 : rng.nextInt(k);
                valid += lab[i] == 255 ? 0 : 1;
            }
            double expected = 0;
            double[] grad = new double[z.length];
            for (int b = 0; b < n; b++) {
                for (int p = 0; p < h * w; p++) {
                    int l = lab[b * h * w + p];
                    if (l == 255) {
                        continue;
                    }
                    double max = Double.NEGATIVE_INFINITY;
                    for (int c = 0; c < k; c++) {
                        max = Math.max(max, z[(b * k + c) * h * w + p]);
                    }
                    double s = 0;
                    for (int c = 0; c < k; c++) {
                        s += Math.exp(z[(b * k + c) * h * w + p] - max);
                    }
                    expected += -(z[(b * k + l) * h * w + p] - max - Math.log(s));
                    for (int c = 0; c < k; c++) {
                        double prob = Math.exp(z[(b * k + c) * h * w + p] - max) / s;
                        grad[(b * k + c) * h * w + p] = (prob - (c == l ? 1 : 0)) / valid;
                    }
                }
            }
            expected /= valid;
            NDArray logits = m.create(z, new Shape(n, k, h, w));
            logits.setRequiresGradient(true);
            NDArray labels = m.create(lab, new Shape(n, h, w));
            NDArray loss;
            try (GradientCollector gc = Engine.getEngine(engine).newGradientCollector()) {
                loss = SegmentationLoss.crossEntropy(logits, labels);
                gc.backward(loss);
            }
            // float32 log-softmax: 1e-5 relative
            assertEquals(expected, loss.getFloat(), 1e-5 * expected);
            float[] g = logits.getGradient().toFloatArray();
            for (int i = 0; i < g.length; i++) {
                assertEquals(grad[i], g[i], 1e-6, "gradient " + i);
            }
        }
    }
}
