package ai.wsbcn.norm.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.wsbcn.norm.testing.TestEngines;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class AllocatorProbeTest {

    @Test
    void minorFaultsIsField10EvenWithParenthesesInTheCommandName() {
        assertEquals(4711, AllocatorProbe.minorFaults(
                "12345 (java (main) x) S 1 12345 12345 0 -1 4194560 4711 0 3 0 120 40 0 0 20 0 31 0 77 0"));
        assertEquals(9, AllocatorProbe.minorFaults("7 (sh) R 1 7 7 0 -1 0 9 0 0 0"));
    }

    /** The timing loop on both engines (a handful of iterations: a smoke test of the probe, not of an allocator). */
    @ParameterizedTest
    @MethodSource("ai.wsbcn.norm.testing.TestEngines#names")
    void measuresBothKindsOfStep(String engine) {
        try (NDManager m = TestEngines.manager(engine)) {
            AllocatorProbe probe = new AllocatorProbe(3);
            for (boolean retain : new boolean[] {false, true}) {
                AllocatorProbe.Result r = probe.measure(m, retain);
                assertTrue(r.millis() > 0 && r.millis() < 5_000, "ms " + r.millis());
                assertTrue(r.faults() >= 0, "this Linux test machine has /proc: " + r.faults());
            }
        }
    }
}
