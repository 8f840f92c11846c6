package ai.wsbcn.segmentation.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.wsbcn.norm.BlockPaths;
import ai.wsbcn.norm.ConvNorm;
import ai.wsbcn.norm.testing.NumericAssert;
import ai.wsbcn.norm.testing.ReferenceData;
import ai.wsbcn.norm.testing.TestEngines;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Our ASPP against torchvision's (reference/deeplab/aspp_in64_out32_r6_12_18.npz: torchvision ASPP, 64 -> 32 channels,
 * rates 6/12/18, randomised BN statistics, eval mode, input 2x64x17x19). Tolerance: relative error 1e-4 against the
 * float64 output (the reference README's float32 bound); the float32 torch module itself is within 3e-7. Run with
 * DJL's batch norm (names mapped) and plugin-norm's {@code bn} (torch names as they are).
 */
class AsppReferenceTest {

    static java.util.stream.Stream<org.junit.jupiter.params.provider.Arguments> enginesAndNorms() {
        return TestEngines.names().flatMap(e -> java.util.stream.Stream.of("djl-bn", "bn")
                .map(n -> org.junit.jupiter.params.provider.Arguments.of(e, n)));
    }

    @ParameterizedTest
    @MethodSource("enginesAndNorms")
    void matchesTorchvisionAsppInEvalMode(String engine, String norm) {
        try (NDManager m = TestEngines.manager(engine);
             ReferenceData ref = ReferenceData.load(m, "deeplab/aspp_in64_out32_r6_12_18.npz")) {
            Aspp aspp = Aspp.builder().setConvNorm(ConvNorm.parse(norm)).optFilters(32).optRates(6, 12, 18).build();
            NDArray x = ref.get("x");
            aspp.initialize(m, DataType.FLOAT32, x.getShape());
            Map<String, Parameter> params = BlockPaths.parameters(aspp);
            int loaded = 0;
            for (Map.Entry<String, Parameter> e : params.entrySet()) {
                String torch = e.getKey().replace(".gamma", ".weight").replace(".beta", ".bias")
                        .replace(".runningMean", ".running_mean").replace(".runningVar", ".running_var");
                NDArray v = ref.get("sd." + torch);
                e.getValue().getArray().set(v.toFloatArray());
                loaded++;
            }
            // 5 branch convs + projection conv, and 6 BNs with 4 arrays each
            assertEquals(6 + 6 * 4, loaded);
            NDArray y = aspp.forward(new ParameterStore(m, false), new NDList(x), false).singletonOrThrow();
            NumericAssert.assertRelClose(ref.get("y"), y, 1e-4, engine + " " + norm + " ASPP eval output");
            assertTrue(params.containsKey("convs.4.1.weight") && params.containsKey(
                    norm.equals("bn") ? "project.1.running_var" : "project.1.runningVar"), params.keySet().toString());
        }
    }
}
