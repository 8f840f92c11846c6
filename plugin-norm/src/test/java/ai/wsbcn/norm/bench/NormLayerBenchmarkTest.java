package ai.wsbcn.norm.bench;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.wsbcn.norm.testing.TestEngines;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** The benchmark's timing loop runs on both engines (tiny shape, two repeats: a smoke test, not a measurement). */
class NormLayerBenchmarkTest {

    @ParameterizedTest
    @MethodSource("ai.wsbcn.norm.testing.TestEngines#names")
    void timesEveryLayer(String engine) {
        try (NDManager m = TestEngines.manager(engine)) {
            NormLayerBenchmark b = new NormLayerBenchmark(2, 1);
            for (String norm : NormLayerBenchmark.NORMS) {
                double ms = b.timeNorm(m, norm, new Shape(1, 32, 8, 8));
                assertTrue(ms > 0 && ms < 10_000, norm + ": " + ms);
            }
            assertTrue(b.timeConv(m, true, new Shape(1, 16, 8, 8)) > 0);
            assertTrue(b.timeIdentity(m, new Shape(1, 16, 8, 8)) > 0);
        }
    }
}
