package ai.wsbcn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.wsbcn.norm.NormSpec;

import org.apache.commons.cli.Option;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What every sub-command has in common: help with an example, the global flags, one list of norm strings. */
class CommandLineConsistencyTest {

    private static final Path README = Path.of("..", "README.md");

    @Test
    void everyHelpEndsWithAnExampleOfItsOwnCommand() {
        for (Command c : Commands.all()) {
            assertTrue(c.example().startsWith("wsbcn " + c.path() + " ") || c.example().equals("wsbcn " + c.path()),
                    c.path() + ": " + c.example());
            CliRun help = CliRun.of((c.path() + " --help").split(" "));
            assertEquals(0, help.status(), c.path() + ": " + help.err());
            assertTrue(help.out().contains("\nexample:\n  " + c.example()), help.out());
            assertTrue(help.out().contains("--quiet"), c.path() + " lists the global --quiet: " + help.out());
        }
    }

    /** The table under "Sub-commands" names every command and no other. */
    @Test
    void theReadmeTableListsTheRealCommands() throws IOException {
        String readme = Files.readString(README);
        int from = readme.indexOf("### Sub-commands");
        String table = readme.substring(from, readme.indexOf("\n## ", from));
        TreeSet<String> listed = new TreeSet<>();
        for (String row : table.split("\n")) {
            if (!row.startsWith("| `")) {
                continue;
            }
            String cell = row.substring(2, row.indexOf(" |", 2));
            Matcher m = Pattern.compile("`([a-z -]+(?:\\\\\\|[a-z-]+)*)`").matcher(cell);
            while (m.find()) {
                // `detection train\|eval\|predict`: the first word with each alternative
                String[] alternatives = m.group(1).split("\\\\\\|");
                String first = alternatives[0];
                listed.add(first);
                String group = first.contains(" ") ? first.substring(0, first.lastIndexOf(' ') + 1) : "";
                for (int i = 1; i < alternatives.length; i++) {
                    listed.add(group + alternatives[i]);
                }
            }
        }
        TreeSet<String> real = new TreeSet<>();
        Commands.all().forEach(c -> real.add(c.path()));
        assertEquals(real, listed);
    }

    /** The listing keeps each group together (was: demo, eval, segmentation, demo segmentation, bench ...). */
    @Test
    void theCommandListIsGroupedByFirstWord() {
        List<String> firstWords = new ArrayList<>();
        for (Command c : Commands.all()) {
            String first = c.path().split(" ")[0];
            if (firstWords.isEmpty() || !firstWords.get(firstWords.size() - 1).equals(first)) {
                assertTrue(!firstWords.contains(first), first + " appears in two places: " + firstWords);
                firstWords.add(first);
            }
        }
    }

    /** Every single-norm flag lists the strings as NormSpec's errors and the README do. */
    @Test
    void everyNormFlagListsTheSameStringsAsTheReadme() throws IOException {
        assertTrue(Files.readString(README).replaceAll("\\s+", " ").contains(NormSpec.VALID),
                "README lists: " + NormSpec.VALID);
        List<String> withNorm = new ArrayList<>();
        for (Command c : Commands.all()) {
            Option norm = c.options().getOption("norm");
            if (norm != null && !c.path().startsWith("pretrained")) { // import records the norm; it builds nothing
                withNorm.add(c.path());
                assertTrue(norm.getDescription().contains("(default ") && norm.getDescription()
                        .contains(NormSpec.VALID), c.path() + ": " + norm.getDescription());
            }
        }
        assertEquals(new TreeSet<>(List.of("segmentation train", "demo segmentation", "video train", "demo video",
                "pretrain", "detection train", "demo detection")), new TreeSet<>(withNorm));
    }

    @Test
    void quietGoesAfterTheCommandLikeTheOtherGlobalFlags() {
        assertEquals(List.of("version", "--quiet"),
                List.of(CommandLineChecks.globalFlagsLast(new String[] {"--quiet", "version"})));
    }

    @Test
    void oldSpellingsAreTheCurrentOnes() {
        assertEquals(List.of("--weight-decay", "0", "--weight-decay=1", "--wdx", "wd"),
                List.of(CommandLineChecks.currentSpellings(new String[] {"--wd", "0", "--wd=1", "--wdx", "wd"},
                        java.util.Map.of("wd", "weight-decay"))));
        // and the error then names the current flag
        CliRun bad = CliRun.of("pretrain", "--out", "/nonexistent/x", "--wd", "-1");
        assertEquals(2, bad.status(), bad.err());
        assertTrue(bad.err().contains("--weight-decay: expected a number >= 0.0, got '-1'"), bad.err());
        CliRun help = CliRun.of("pretrain", "--help");
        assertTrue(help.out().contains("older spellings, still accepted: --wd (= --weight-decay)"), help.out());
    }

    /** pretrain parsed its rates with a bare parseFloat: a negative or NaN rate trained on silently. */
    @Test
    void pretrainRefusesRatesTheOtherTrainersRefuse() {
        for (String[] flag : new String[][] {{"--lr", "nan"}, {"--lr", "-0.1"}, {"--momentum", "-1"}}) {
            CliRun r = CliRun.of("pretrain", "--out", "/nonexistent/x", flag[0], flag[1]);
            assertEquals(2, r.status(), r.err());
            assertTrue(r.err().contains(flag[0] + ": expected a number"), r.err());
        }
    }

    @Test
    void quietSilencesStatusLinesOnly(@org.junit.jupiter.api.io.TempDir Path dir) throws IOException {
        Path gt = dir.resolve("gt");
        Path pred = dir.resolve("pred");
        Files.createDirectories(gt);
        Files.createDirectories(pred);
        java.awt.image.BufferedImage img = new java.awt.image.BufferedImage(4, 4,
                java.awt.image.BufferedImage.TYPE_BYTE_GRAY);
        javax.imageio.ImageIO.write(img, "png", gt.resolve("a.png").toFile());
        javax.imageio.ImageIO.write(img, "png", pred.resolve("a.png").toFile());
        String[] args = {"eval", "voc", "--gt-dir", gt.toString(), "--pred-dir", pred.toString(), "--num-classes", "2",
                "--json", dir.resolve("m.json").toString()};
        CliRun loud = CliRun.of(args);
        assertEquals(0, loud.status(), loud.err());
        assertTrue(loud.err().contains("scored 1 images") && loud.err().contains("wrote "), loud.err());
        List<String> quietArgs = new ArrayList<>(List.of(args));
        quietArgs.add("--quiet");
        CliRun quiet = CliRun.of(quietArgs.toArray(new String[0]));
        assertEquals(0, quiet.status(), quiet.err());
        assertEquals("", quiet.err());
        assertEquals(loud.out(), quiet.out());
    }

    /** --json - prints the JSON the file gets, instead of the text (was video eval's alone). */
    @Test
    void jsonDashPrintsTheFilesJsonInsteadOfTheText(@org.junit.jupiter.api.io.TempDir Path dir) throws IOException {
        Path gt = dir.resolve("gt");
        Files.createDirectories(gt);
        javax.imageio.ImageIO.write(new java.awt.image.BufferedImage(4, 4,
                java.awt.image.BufferedImage.TYPE_BYTE_GRAY), "png", gt.resolve("a.png").toFile());
        Path file = dir.resolve("m.json");
        CliRun toFile = CliRun.of("eval", "voc", "--gt-dir", gt.toString(), "--pred-dir", gt.toString(),
                "--num-classes", "2", "--json", file.toString());
        assertEquals(0, toFile.status(), toFile.err());
        CliRun dash = CliRun.of("eval", "voc", "--gt-dir", gt.toString(), "--pred-dir", gt.toString(),
                "--num-classes", "2", "--json", "-");
        assertEquals(0, dash.status(), dash.err());
        assertEquals(Files.readString(file), dash.out());
        assertTrue(toFile.out().contains("mIoU") && !toFile.out().startsWith("{"), toFile.out());
    }
}
