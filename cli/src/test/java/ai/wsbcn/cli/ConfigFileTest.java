package ai.wsbcn.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.wsbcn.util.InvalidInputException;

import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.DefaultParser;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

class ConfigFileTest {

    @TempDir
    Path dir;

    private static Options options() {
        Options o = new Options();
        o.addOption(Option.builder().longOpt("out").hasArg().build());
        o.addOption(Option.builder().longOpt("iter-size").hasArg().build());
        o.addOption(Option.builder().longOpt("lr").hasArg().build());
        o.addOption(Option.builder().longOpt("no-shift").build());
        o.addOption(Option.builder().longOpt("no-eval").build());
        o.addOption(Option.builder().longOpt("resume").build());
        o.addOption(ConfigFile.option());
        return o;
    }

    private static CommandLine parse(Options o, String... args) throws Exception {
        return new DefaultParser().parse(o, args);
    }

    @Test
    void fileSettingsFillOnlyWhatTheCommandLineLeavesOut() throws Exception {
        Path f = dir.resolve("c.yaml");
        Files.writeString(f, "iter_size: 4\nlr: 0.5\nno-shift: true\nno-eval: false\nout: null\n");
        Options o = options();
        String[] args = {"--lr", "0.1", "--config", f.toString()};
        String[] merged = ConfigFile.merge(o, parse(o, args), args, f, "video train", java.util.Map.of());
        assertArrayEquals(new String[] {"--lr", "0.1", "--config", f.toString(), "--iter-size", "4", "--no-shift"},
                merged);
    }

    @Test
    void badKeysAndBooleansNameTheFile() throws Exception {
        Options o = options();
        Path unknown = dir.resolve("u.json");
        Files.writeString(unknown, "{\"iter-sizes\": 4}");
        String m = assertThrows(InvalidInputException.class,
                () -> ConfigFile.merge(o, parse(o), new String[0], unknown, "video train",
                        java.util.Map.of())).getMessage();
        assertEquals(unknown + ": iter-sizes: not a flag of 'wsbcn video train' (run 'wsbcn video train --help'"
                + " for its flags)", m);
        Path nested = dir.resolve("n.json");
        Files.writeString(nested, "{\"config\": \"other.json\"}");
        m = assertThrows(InvalidInputException.class,
                () -> ConfigFile.merge(o, parse(o), new String[0], nested, "video train",
                        java.util.Map.of())).getMessage();
        assertTrue(m.startsWith(nested + ": config: not a flag"), m);
        Path yes = dir.resolve("b.yaml");
        Files.writeString(yes, "no-shift: maybe\n");
        m = assertThrows(InvalidInputException.class,
                () -> ConfigFile.merge(o, parse(o), new String[0], yes, "video train",
                        java.util.Map.of())).getMessage();
        assertEquals(yes + ": no-shift: expected true or false, got 'maybe'", m);
    }

    @Test
    void aRunRecordsItsFlagsAndResumeReadsThem() throws Exception {
        Options o = options();
        Path out = dir.resolve("run");
        CommandLine cl = parse(o, "--out", out.toString(), "--lr", "0.1", "--no-shift", "--resume");
        // nothing to resume: refused, not a fresh run with default flags
        assertEquals(out + ": nothing to resume (no config.json or checkpoint.bin); check --out, or leave out"
                + " --resume to start a run", assertThrows(InvalidInputException.class,
                () -> ConfigFile.source(cl)).getMessage());
        // a run from before config.json was written resumes from its checkpoint with the flags given
        Path old = Files.createDirectories(dir.resolve("old"));
        Files.write(old.resolve("checkpoint.bin"), new byte[] {1});
        assertNull(ConfigFile.source(parse(o, "--out", old.toString(), "--resume")));
        ConfigFile.Recorded first = ConfigFile.record(cl);
        Path saved = first.file();
        assertEquals(out.resolve("config.json"), saved);
        assertEquals("{\n  \"out\": \"" + out + "\",\n  \"lr\": \"0.1\",\n  \"no-shift\": true\n}\n",
                Files.readString(saved));
        assertEquals(saved, ConfigFile.source(cl));
        // --config wins over the saved file; without --resume nothing is read
        assertEquals(Path.of("x.yaml"), ConfigFile.source(parse(o, "--out", out.toString(), "--resume", "--config",
                "x.yaml")));
        assertNull(ConfigFile.source(parse(o, "--out", out.toString())));
        // and the recorded file merges back to the same flags
        String[] back = ConfigFile.merge(o, parse(o, "--resume"), new String[] {"--resume"}, saved, "t",
                java.util.Map.of());
        assertArrayEquals(new String[] {"--resume", "--out", out.toString(), "--lr", "0.1", "--no-shift"}, back);
        assertNull(ConfigFile.record(parse(o, "--lr", "0.1")));

        // a refused run puts back the settings it replaced, and a first run leaves none behind
        String kept = Files.readString(saved);
        ConfigFile.record(parse(o, "--out", out.toString(), "--lr", "0.9")).undo();
        assertEquals(kept, Files.readString(saved));
        first.undo();
        assertTrue(!Files.exists(saved));
    }

    @Test
    void aBadValueFromTheFileSaysWhereItWasSet() throws Exception {
        Path f = dir.resolve("c.yaml");
        Files.writeString(f, "lr: [1, 2]\niter_size: 4\n");
        assertEquals(" (set in " + f + ")", ConfigFile.origin("--lr: expected a number, got '1,2'", f, Set.of()));
        assertEquals("", ConfigFile.origin("--lr: expected a number", f, Set.of("lr")), "given on the line");
        assertEquals("", ConfigFile.origin("--seed: expected an integer", f, Set.of()), "not in the file");
        assertEquals("", ConfigFile.origin("data.json: not valid JSON", f, Set.of()));
        assertEquals("", ConfigFile.origin("--lr: x", null, Set.of()));
    }
}
