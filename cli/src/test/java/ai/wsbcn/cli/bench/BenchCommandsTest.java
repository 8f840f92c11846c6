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
        assertRefused(new String[] {"--norms", "gn+wx"}, "--steps-only", "--norms", "gn,gn+wx");
        assertRefused(new String[] {"--sizes", "2xabc"}, "--steps-only", "--sizes", "1x224,2xabc");
        assertRefused(new String[] {"--ab", "-Dwsbcn.norm.hostWs=false"}, "--steps-only", "--ab",
                "-Dwsbcn.norm.hostWs=false");
        assertRefused(new String[] {"--ab", "PROPERTY=ON,OFF"}, "--steps-only", "--ab",
                "wsbcn.norm.fusedAffineMinElements=0");
        assertRefused(new String[] {"--ab", "--layers-only"}, "--layers-only", "--ab", "wsbcn.norm.hostWs");
        assertRefused(new String[] {"exclude each other"}, "--steps-only", "--layers-only");
    }

    /** {@code bench norms <args>} exits with status 2 and an error message containing every one of {@code words}. */
    private static void assertRefused(String[] words, String... args) {
        String[] command = new String[args.length + 2];
        command[0] = "bench";
        command[1] = "norms";
        System.arraycopy(args, 0, command, 2, args.length);
        CliRun run = CliRun.of(command);
        assertEquals(2, run.status(), String.join(" ", args));
        for (String w : words) {
            assertTrue(run.err().contains(w), "'" + w + "' not in: " + run.err());
        }
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
                "--warmup", "0", "--norms", "gn+ws", "--ab", "wsbcn.norm.fusedAffineMinElements=0,4194304");
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().contains("-Dwsbcn.norm.fusedAffineMinElements=0 (on) against 4194304 (off), same model"),
                r.out());
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
