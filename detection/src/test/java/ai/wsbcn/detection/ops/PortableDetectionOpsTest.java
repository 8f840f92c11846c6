package ai.wsbcn.detection.ops;

import ai.djl.ndarray.NDManager;
import ai.wsbcn.norm.testing.TestEngines;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.stream.Stream;

/** The portable (gather + batched matmul) RoIAlign against all 16 torchvision references, on both engines. */
class PortableDetectionOpsTest {

    static Stream<Arguments> engineAndCase() {
        return TestEngines.names().flatMap(e -> RoiAlignReference.cases().stream().map(c -> Arguments.of(e, c)));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("engineAndCase")
    void matchesTorchvisionForwardAndBackward(String engine, RoiAlignReference.Case c) {
        try (NDManager m = TestEngines.manager(engine)) {
            RoiAlignReference.check(new PortableDetectionOps(), m, c);
        }
    }
}
