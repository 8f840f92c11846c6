package ai.wsbcn.norm.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.wsbcn.norm.testing.TestEngines;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class ScalarOpsTest {

    /**
     * {@code innerProduct(a, b)} of two (2, 3, 1, 1) arrays, a conv weight's rank, against the hand-computed sum of
     * products, and its gradients: d/da = b and d/db = a. Small integers, so exact in float32 (tolerance 0).
     */
    @ParameterizedTest
    @MethodSource("ai.wsbcn.norm.testing.TestEngines#names")
    void innerProductAndItsGradients(String engine) {
        try (NDManager m = TestEngines.manager(engine)) {
            Shape s = new Shape(2, 3, 1, 1);
            float[] av = {1, 2, 3, 4, 5, 6};
            float[] bv = {1, -1, 2, 0, 3, -2};
            NDArray a = m.create(av, s);
            NDArray b = m.create(bv, s);
            a.setRequiresGradient(true);
            b.setRequiresGradient(true);
            try (GradientCollector gc = Engine.getEngine(engine).newGradientCollector()) {
                NDArray p = ScalarOps.innerProduct(a, b);
                // 1 - 2 + 6 + 0 + 15 - 12
                assertEquals(8f, p.getFloat(), 0f, engine);
                gc.backward(p);
            }
            assertArrayEquals(bv, a.getGradient().toFloatArray(), 0f, engine + " d/da");
            assertArrayEquals(av, b.getGradient().toFloatArray(), 0f, engine + " d/db");
        }
    }
}
