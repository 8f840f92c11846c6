package ai.wsbcn.video.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.wsbcn.norm.testing.TestEngines;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Set;

/**
 * The gradient bookkeeping around held WS weights, on a hand-computed case: a parameter skipped by
 * {@code accumulate(skip)} keeps its gradient untouched until {@code addGradients} takes it in, and the update then
 * uses every gradient exactly once.
 */
class ClipSgdTest {

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
