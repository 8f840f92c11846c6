package ai.wsbcn.norm.testing;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Both engines load offline from the jars on the class path and read a reference file. */
class EngineSmokeTest {

    @ParameterizedTest
    @MethodSource("ai.wsbcn.norm.testing.TestEngines#names")
    void engineLoadsAndReadsNpz(String engine) {
        try (NDManager m = TestEngines.manager(engine);
             ReferenceData ref = ReferenceData.load(m, "frozenbn/frozenbn_c64.npz")) {
            NDArray x = ref.get("x");
            assertEquals(2 * 64 * 10 * 12, x.size());
            NDArray w = ref.get("weight");
            NDArray rv = ref.get("running_var");
            NDArray rm = ref.get("running_mean");
            NDArray b = ref.get("bias");
            NDArray scale = w.div(rv.add(1e-5f).sqrt()).reshape(1, 64, 1, 1);
            NDArray y = x.sub(rm.reshape(1, 64, 1, 1)).mul(scale).add(b.reshape(1, 64, 1, 1));
            NumericAssert.assertRelClose(ref.get("y"), y, "frozen bn composed from NDArray ops on " + engine);
        }
    }
}
