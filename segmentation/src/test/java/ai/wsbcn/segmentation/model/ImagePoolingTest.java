package ai.wsbcn.segmentation.model;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.wsbcn.norm.BlockPaths;
import ai.wsbcn.norm.ConvNorm;
import ai.wsbcn.norm.testing.TestEngines;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The image-pooling branch at batch 1 with per-channel batch norm: trains (finite output, non-zero gradient into the
 * pooling conv) by normalising with running statistics, which stay untouched; at batch 2 batch statistics are used.
 */
class ImagePoolingTest {

    @ParameterizedTest
    @MethodSource("ai.wsbcn.segmentation.model.AsppReferenceTest#enginesAndNorms")
    void batchOneUsesRunningStatisticsAndStillLearns(String engine, String norm) {
        try (NDManager m = TestEngines.manager(engine)) {
            ImagePooling pool = new ImagePooling(ConvNorm.parse(norm), 4);
            pool.initialize(m, DataType.FLOAT32, new Shape(1, 3, 5, 6));
            Map<String, Parameter> p = BlockPaths.parameters(pool);
            boolean djl = norm.equals("djl-bn");
            Parameter mean = p.get(djl ? "2.runningMean" : "2.running_mean");
            Parameter var = p.get(djl ? "2.runningVar" : "2.running_var");
            mean.getArray().set(new float[] {-3f, -2.5f, -3.5f, -4f}); // keeps the ReLU open
            var.getArray().set(new float[] {2f, 0.5f, 1f, 4f});
            for (Parameter q : p.values()) {
                if (q.requiresGradient()) {
                    q.getArray().setRequiresGradient(true);
                }
            }
            NDArray x = m.randomNormal(new Shape(1, 3, 5, 6));
            NDArray w = p.get("1.weight").getArray();
            NDArray out;
            try (GradientCollector gc = Engine.getEngine(engine).newGradientCollector()) {
                out = pool.forward(new ParameterStore(m, false), new NDList(x), true).singletonOrThrow();
                gc.backward(out.sum());
            }
            assertEquals(new Shape(1, 4, 5, 6), out.getShape());
            // expected: relu(gamma * (conv(mean(x)) - running_mean) / sqrt(running_var + eps) + beta), gamma 1, beta 0
            float[] pooled = x.reshape(3, 30).mean(new int[] {1}).toFloatArray();
            float[] wf = w.toFloatArray();
            float[] rm = {-3f, -2.5f, -3.5f, -4f};
            float[] rv = {2f, 0.5f, 1f, 4f};
            float[] o = out.toFloatArray();
            for (int c = 0; c < 4; c++) {
                double z = 0;
                for (int k = 0; k < 3; k++) {
                    z += wf[c * 3 + k] * pooled[k];
                }
                double e = Math.max(0, (z - rm[c]) / Math.sqrt(rv[c] + 1e-5));
                for (int i = 0; i < 30; i++) {
                    assertEquals(e, o[c * 30 + i], 1e-5, "channel " + c);
                }
            }
            assertArrayEquals(rm, mean.getArray().toFloatArray(), 0f, "running mean untouched at batch 1");
            assertArrayEquals(rv, var.getArray().toFloatArray(), 0f, "running var untouched at batch 1");
            assertTrue(w.getGradient().abs().sum().getFloat() > 0, "gradient reaches the pooling conv");

            // batch 2: batch statistics, so each channel's two values normalise to -+d/sqrt(d^2 + eps), d the half
            // difference: after ReLU exactly one is zero and the other in (0, 1]
            NDArray x2 = m.randomNormal(new Shape(2, 3, 5, 6));
            NDArray out2;
            try (GradientCollector gc = Engine.getEngine(engine).newGradientCollector()) {
                out2 = pool.forward(new ParameterStore(m, false), new NDList(x2), true).singletonOrThrow();
            }
            float[] o2 = out2.toFloatArray();
            for (int c = 0; c < 4; c++) {
                float a = o2[c * 30];
                float b = o2[4 * 30 + c * 30];
                assertEquals(0f, Math.min(a, b), 0f, "channel " + c);
                assertTrue(Math.max(a, b) > 0 && Math.max(a, b) <= 1f, "channel " + c);
            }
        }
    }
}
