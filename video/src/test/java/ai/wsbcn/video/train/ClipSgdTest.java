package ai.wsbcn.video.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.wsbcn.norm.testing.NumericAssert;
import ai.wsbcn.norm.testing.ReferenceData;
import ai.wsbcn.norm.testing.TestEngines;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Set;

/**
 * The update against torch 1.13 ({@code reference/sgd/clip_sgd.py}: micro-batch gradients summed,
 * {@code clip_grad_norm_(params, 2)}, SGD with momentum 0.9 and weight decay on the matrix only, the learning rate
 * changing between updates), and the gradient bookkeeping around held WS weights on a hand-computed case.
 */
class ClipSgdTest {

    /**
     * Three updates of a Linear(3, 2), two micro-batches each; updates 0 and 2 are clipped, update 1 is not.
     * Tolerance 2e-6 absolute on weights of order 1 (float32; a missed clip, weight decay on the bias, or the clip
     * scale applied after the decay each move some weight by more than 1e-3), 1e-5 relative on the norm.
     */
    @ParameterizedTest
    @MethodSource("ai.wsbcn.norm.testing.TestEngines#names")
    void updatesEqualTorchSgdAfterClipGradNorm(String engine) {
        try (NDManager m = TestEngines.manager(engine); ReferenceData ref = ReferenceData.load(m, "sgd/clip_sgd.npz")) {
            Linear linear = Linear.builder().setUnits(2).build();
            linear.initialize(m, DataType.FLOAT32, new Shape(4, 3));
            Parameter weight = linear.getParameters().get("weight");
            Parameter bias = linear.getParameters().get("bias");
            weight.getArray().set(ref.get("w0").toFloatArray());
            bias.getArray().set(ref.get("b0").toFloatArray());
            ClipSgd sgd = new ClipSgd(linear, m, 0.9f, 0.05f, 2f);
            ParameterStore ps = new ParameterStore(m, false);
            float[] lr = ref.get("lr").toFloatArray();
            double[] norms = ref.get("grad_norm").toDoubleArray();
            for (int u = 0; u < 3; u++) {
                for (int micro = 0; micro < 2; micro++) {
                    NDArray x = ref.get("x").get(u, micro);
                    NDArray g = ref.get("g").get(u, micro);
                    try (GradientCollector gc = m.getEngine().newGradientCollector()) {
                        gc.backward(linear.forward(ps, new NDList(x), true).singletonOrThrow().mul(g).sum().div(2));
                    }
                    sgd.accumulate();
                }
                sgd.step(lr[u]);
                assertEquals(norms[u], sgd.lastGradNorm(), 1e-5 * norms[u], "gradient norm of update " + u);
                NumericAssert.assertAbsClose(ref.get("w").get(u), weight.getArray(), 2e-6, "weight after update " + u);
                NumericAssert.assertAbsClose(ref.get("b").get(u), bias.getArray(), 2e-6, "bias after update " + u);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("ai.wsbcn.norm.testing.TestEngines#names")
    void skippedGradientsAreTakenInOnceByAddGradients(String engine) {
        try (NDManager m = TestEngines.manager(engine)) {
            Linear linear = Linear.builder().setUnits(1).build();
            linear.initialize(m, DataType.FLOAT32, new Shape(2, 3));
            Parameter weight = linear.getParameters().get("weight");
            Parameter bias = linear.getParameters().get("bias");
            weight.getArray().set(new float[] {1f, 2f, 3f});
            bias.getArray().set(new float[] {0.5f});
            // momentum, weight decay and clipping off: w -= lr * (summed gradient)
            ClipSgd sgd = new ClipSgd(linear, m, 0f, 0f, 0f);
            NDArray x = m.create(new float[] {1, 2, 3, 4, 5, 6}, new Shape(2, 3));
            ParameterStore ps = new ParameterStore(m, false);
            // d sum(x w^T + b) / dw = column sums of x = (5, 7, 9); / db = 2
            backward(m, linear, ps, x);
            sgd.accumulate(Set.of(weight));
            // the skipped gradient is neither added nor cleared
            assertArrayEquals(new float[] {5, 7, 9}, weight.getArray().getGradient().toFloatArray(), 1e-6f);
            assertArrayEquals(new float[] {0}, bias.getArray().getGradient().toFloatArray(), 1e-6f);
            sgd.addGradients(Set.of(weight));
            assertArrayEquals(new float[] {0, 0, 0}, weight.getArray().getGradient().toFloatArray(), 1e-6f);
            sgd.step(0.1f);
            assertArrayEquals(new float[] {1f - 0.5f, 2f - 0.7f, 3f - 0.9f}, weight.getArray().toFloatArray(), 1e-6f);
            assertArrayEquals(new float[] {0.5f - 0.2f}, bias.getArray().toFloatArray(), 1e-6f);
        }
    }

    private static void backward(NDManager m, Linear linear, ParameterStore ps, NDArray x) {
        try (GradientCollector gc = m.getEngine().newGradientCollector()) {
            gc.backward(linear.forward(ps, new NDList(x), true).singletonOrThrow().sum());
        }
    }
}
