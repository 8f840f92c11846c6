package ai.wsbcn.cli.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.wsbcn.cli.CliRun;

import org.junit.jupiter.api.Test;

/** {@code bench norms} and {@code bench allocator} through the command line: flags, errors, a tiny real run. */
class BenchCommandsTest {

    @Test
    void badStepFlagsFailAtOnceNamingTheFlag() {
        CliRun norms = CliRun.of("bench", "norms", "--steps-only", "--norms", "gn,gn+wx");
        assertEquals(2, norms.status());
        assertTrue(norms.err().contains("--norms") && norms.err().contains("gn+wx"), norms.err());
        CliRun sizes = CliRun.of("bench", "norms", "--steps-only", "--sizes", "1x224,2xabc");
        assertEquals(2, sizes.status());
        assertTrue(sizes.err().contains("--sizes") && sizes.err().contains("2xabc"), sizes.err());
        CliRun ab = CliRun.of("bench", "norms", "--steps-only", "--ab", "-Dwsbcn.norm.hostWs=false");
        assertEquals(2, ab.status());
        assertTrue(ab.err().contains("--ab") && ab.err().contains("-Dwsbcn.norm.hostWs=false"), ab.err());
        CliRun abLayers = CliRun.of("bench", "norms", "--layers-only", "--ab", "wsbcn.norm.hostWs");
        assertEquals(2, abLayers.status());
        assertTrue(abLayers.err().contains("--ab") && abLayers.err().contains("--layers-only"), abLayers.err());
        CliRun both = CliRun.of("bench", "norms", "--steps-only", "--layers-only");
        assertEquals(2, both.status());
        assertTrue(both.err().contains("exclude each other"), both.err());
    }

    @Test
    void interleavedStepTableForATinyNetwork() {
        CliRun r = CliRun.of("bench", "norms", "--steps-only", "--arch", "resnet8", "--sizes", "1x32", "--steps", "2",
                "--warmup", "1", "--norms", "gn,gn+ws");
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().contains("norms interleaved, 2 rounds after 1 warm-up steps"), r.out());
        assertTrue(r.out().contains("1x3x32x32"), r.out());
        assertTrue(r.out().lines().anyMatch(l -> l.startsWith("gn+ws") && l.contains("target 1.05x")), r.out());
    }

    @Test
    void abTableForATinyNetwork() {
        CliRun r = CliRun.of("bench", "norms", "--arch", "resnet8", "--sizes", "1x32", "--steps", "2",
                "--warmup", "0", "--norms", "gn+ws", "--ab", "wsbcn.norm.hostWs");
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().contains("-Dwsbcn.norm.hostWs=true (on) against false (off), same model"), r.out());
        assertFalse(r.out().contains("identity"), "--ab skips the layer part: " + r.out());
        assertTrue(r.out().lines().anyMatch(l -> l.startsWith("gn+ws") && l.matches(".*\\d\\.\\d{3}x \\[.*")),
                r.out());
    }

    @Test
    void allocatorProbeReportsBothSteps() {
        CliRun r = CliRun.of("bench", "allocator", "--iterations", "2");
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().contains("keeps no small array") && r.out().contains("keeps one small array"), r.out());
    }
}
