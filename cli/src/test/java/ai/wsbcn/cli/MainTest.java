package ai.wsbcn.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.wsbcn.norm.InvalidNormException;
import ai.wsbcn.util.InvalidInputException;

import org.junit.jupiter.api.Test;

import java.util.Locale;

class MainTest {

    @Test
    void globalFlagsBeforeTheCommandMoveAfterIt() {
        assertArrayEquals(new String[] {"eval", "coco", "--gt", "g", "--engine", "pytorch", "--verbose"},
                CommandLineChecks.globalFlagsLast(new String[] {"--engine", "pytorch", "--verbose", "eval", "coco", "--gt", "g"}));
        assertArrayEquals(new String[] {"version", "--engine=mxnet"},
                CommandLineChecks.globalFlagsLast(new String[] {"--engine=mxnet", "version"}));
        String[] untouched = {"version", "--engine", "pytorch"};
        assertArrayEquals(untouched, CommandLineChecks.globalFlagsLast(untouched));
        // not a global flag: left in front, where it is reported as an unknown command
        String[] other = {"--gt", "g", "eval", "coco"};
        assertArrayEquals(other, CommandLineChecks.globalFlagsLast(other));
    }

    @Test
    void theEngineFlagWorksOnEitherSide() {
        String engine = System.getProperty("ai.djl.default_engine", "MXNet").toLowerCase(Locale.ROOT);
        CliRun before = CliRun.of("--engine", engine, "--verbose", "version");
        assertEquals(0, before.status(), before.err());
        CliRun after = CliRun.of("version", "--engine=" + engine);
        assertEquals(0, after.status(), after.err());
        assertEquals(after.out(), before.out());
        assertTrue(before.out().toLowerCase(Locale.ROOT).contains(engine), before.out());
        CliRun unknown = CliRun.of("--engine", "tensorflow", "version");
        assertEquals(2, unknown.status());
        assertTrue(unknown.err().contains("--engine: unknown engine 'tensorflow'"), unknown.err());
    }

    @Test
    void badInputIsFoundBehindWrappersAndNormErrorsNameTheFlag() {
        assertEquals("a.json: lr: not a number", Main.inputError(new RuntimeException("loader failed",
                new java.util.concurrent.CompletionException(new InvalidInputException("a.json: lr: not a number")))));
        assertEquals("--norm: gn(7)+ws: 64 channels cannot be split into 7 groups",
                Main.inputError(new InvalidNormException("gn(7)+ws: 64 channels cannot be split into 7 groups")));
        assertNull(Main.inputError(new IllegalStateException("a bug", new IllegalArgumentException("x"))));
    }

    /** The launcher hands WSBCN_ENGINE over as DJL's default-engine property; a bad one is an input error. */
    @Test
    void anUnknownDefaultEngineIsRefusedLikeTheFlag() {
        String before = System.getProperty("ai.djl.default_engine");
        try {
            System.setProperty("ai.djl.default_engine", "foo");
            CliRun r = CliRun.of("version");
            assertEquals(2, r.status(), r.err());
            assertTrue(r.err().contains("WSBCN_ENGINE: unknown engine 'foo' (use mxnet or pytorch)"), r.err());
        } finally {
            if (before == null) {
                System.clearProperty("ai.djl.default_engine");
            } else {
                System.setProperty("ai.djl.default_engine", before);
            }
        }
    }

    @Test
    void repeatedFlagsAndUnwritableOutputsAreInputErrors(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        CliRun twice = CliRun.of("eval", "voc", "--num-classes", "2", "--num-classes", "3");
        assertEquals(2, twice.status(), twice.err());
        assertTrue(twice.err().contains("--num-classes: given more than once"), twice.err());
        java.nio.file.Path file = dir.resolve("a-file");
        java.nio.file.Files.writeString(file, "x");
        assertEquals(file + ": a file is in the way", Main.inputError(new RuntimeException(
                new java.nio.file.FileAlreadyExistsException(file.toString()))));
        assertEquals("/x/y: Is a directory", Main.inputError(new java.nio.file.FileSystemException("/x/y", null,
                "Is a directory")));
    }

    @Test
    void aGroupWithoutItsSubCommandSaysSoAndListsThem() {
        CliRun r = CliRun.of("pretrained");
        assertEquals(2, r.status());
        assertTrue(r.err().startsWith("wsbcn pretrained: which one? (a sub-command is missing)")
                && r.err().contains("pretrained import") && !r.err().contains("eval coco"), r.err());
        CliRun unknown = CliRun.of("pretrianed");
        assertTrue(unknown.err().startsWith("wsbcn: unknown command 'pretrianed'"), unknown.err());
    }

    @Test
    void aFolderWhereAFileGoesIsRefusedBeforeAnyWork(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
        CliRun r = CliRun.of("eval", "voc", "--gt-dir", dir.toString(), "--pred-dir", dir.toString(), "--json",
                dir.toString());
        assertEquals(2, r.status(), r.err());
        assertTrue(r.err().contains("--json: " + dir + " is a folder; a file is expected"), r.err());
    }
}
