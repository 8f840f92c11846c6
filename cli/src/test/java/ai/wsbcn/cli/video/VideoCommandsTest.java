package ai.wsbcn.cli.video;

import ai.wsbcn.cli.CliRun;
import ai.wsbcn.cli.Main;
import ai.wsbcn.video.data.SomethingSomething;
import ai.wsbcn.video.data.synthetic.SyntheticMotion;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code wsbcn video train} and {@code video eval} through {@link Main#run} on a tiny synthetic set. */
class VideoCommandsTest {

    @TempDir
    static Path dir;

    @BeforeAll
    static void writeData() throws IOException {
        SyntheticMotion.builder().optFrameSize(24, 20).optFrames(8).optVideos(8, 7).optSeed(2).build()
                .write(dir.resolve("ss"));
    }

    private static CliRun run(String... args) {
        return CliRun.of(args);
    }

    @Test
    void trainThenEvaluateWithJson() throws IOException {
        String ss = dir.resolve("ss").toString();
        Path model = dir.resolve("model");
        CliRun t = run("video", "train", "--data", ss, "--backbone", "resnet8w8", "--norm", "bn", "--crop", "16",
                "--segments", "4", "--clips-per-batch", "2", "--epochs", "1", "--lr", "0.01", "--out",
                model.toString());
        assertEquals(0, t.status(), t.err());
        assertTrue(Files.isRegularFile(model.resolve("model.params")));
        assertTrue(Files.isRegularFile(model.resolve("checkpoint.bin")));
        assertEquals(1 + 4, Files.readAllLines(model.resolve("train_log.csv")).size(), "header + 4 steps");
        assertTrue(Files.size(model.resolve("loss_curve.png")) > 0, "plotted as by the other trainers");
        // --checkpoint as in the other eval commands (the older --model is used below); --quiet: the JSON alone
        CliRun e = run("video", "eval", "--checkpoint", model.toString(), "--data", ss, "--per-class", "--json", "-",
                "--quiet");
        assertEquals(0, e.status(), e.err());
        assertEquals("", e.err());
        JsonObject o = JsonParser.parseString(e.out()).getAsJsonObject();
        assertEquals(7, o.get("clips").getAsInt());
        double top1 = o.get("top1").getAsDouble();
        assertTrue(top1 >= 0 && top1 <= 1);
        assertEquals(7, o.getAsJsonArray("per_class").size());
        // the evaluation the training run did at its end is the same computation
        String last = Files.readAllLines(model.resolve("eval_log.csv")).get(1);
        assertEquals(top1, Double.parseDouble(last.split(",")[2]), 1e-6);

        // the run's flags were saved; --resume alone finds them and, the run being complete, trains nothing
        JsonObject saved = JsonParser.parseString(Files.readString(model.resolve("config.json"))).getAsJsonObject();
        assertEquals("resnet8w8", saved.get("backbone").getAsString());
        CliRun again = run("video", "train", "--out", model.toString(), "--resume");
        assertEquals(0, again.status(), again.err());
        assertTrue(again.out().startsWith("nothing to train: the run is complete at step 4"), again.out());
        assertEquals(1 + 4, Files.readAllLines(model.resolve("train_log.csv")).size(), "no step added");
        // killed between the last checkpoint and its validation: the resumed run makes the missing row, once
        List<String> evalLog = Files.readAllLines(model.resolve("eval_log.csv"));
        Files.write(model.resolve("eval_log.csv"), List.of(evalLog.get(0), "9,99,0.5,0.5,0.5"));
        CliRun caughtUp = run("video", "train", "--out", model.toString(), "--resume");
        assertEquals(0, caughtUp.status(), caughtUp.err());
        assertEquals(evalLog, Files.readAllLines(model.resolve("eval_log.csv")));
    }

    @Test
    void userErrorsExitWithStatusTwoAndNameTheProblem() throws IOException {
        CliRun noData = run("video", "train", "--out", dir.resolve("x").toString());
        assertEquals(2, noData.status());
        assertTrue(noData.err().contains("--data"), noData.err());
        CliRun badNorm = run("video", "train", "--data", dir.resolve("ss").toString(), "--norm", "xx(3)", "--out",
                dir.resolve("y").toString());
        assertEquals(2, badNorm.status());
        assertTrue(badNorm.err().contains("xx(3)"), badNorm.err());
        Path broken = dir.resolve("broken");
        Files.createDirectories(broken);
        Files.writeString(broken.resolve(SomethingSomething.LABELS_FILE), "A\n");
        Files.writeString(broken.resolve(SomethingSomething.Split.VALIDATION.fileName()), "1;A\n2;B\n");
        CliRun badLabel = run("video", "eval", "--model", dir.resolve("model").toString(), "--data", broken.toString());
        assertEquals(2, badLabel.status());
        CliRun noModel = run("video", "eval", "--model", dir.resolve("nothing").toString(), "--data",
                dir.resolve("ss").toString());
        assertEquals(2, noModel.status());
        assertTrue(noModel.err().contains("model.json"), noModel.err());
    }

    /** TSM's own list files: its category.txt names the classes, its Python frame template is understood. */
    @Test
    void tsmListWithCategoryFileAndPythonTemplate() throws IOException {
        Path frames = dir.resolve("ss").resolve(SomethingSomething.FRAMES_DIR);
        Path list = dir.resolve("train_videofolder.txt");
        Files.writeString(list, "1 8 0\n2 9 1\n"); // 9: one file more than the folder's frames, as listdir counts
        Path category = dir.resolve("category.txt");
        Files.writeString(category, "Holding something\nPushing something\n");
        Path model = dir.resolve("listed");
        CliRun t = run("video", "train", "--train-list", list.toString(), "--labels", category.toString(),
                "--frames-root", frames.toString(), "--frame-template", "{:05d}.jpg", "--no-eval", "--backbone",
                "resnet8w8", "--crop", "16", "--segments", "9", "--clips-per-batch", "2", "--epochs", "1", "--out",
                model.toString());
        assertEquals(0, t.status(), t.err());
        assertTrue(t.err().contains(list + ":2: video 2: num_frames 9, but its folder has frames 1..8 only"),
                t.err());
        JsonObject spec = JsonParser.parseString(Files.readString(model.resolve("model.json"))).getAsJsonObject();
        assertEquals("[\"Holding something\",\"Pushing something\"]", spec.get("classes").toString());

        // 2 classes: still "top5" (100 %), as eval_log.csv's column and a 174-class run's JSON call it
        CliRun e = run("video", "eval", "--model", model.toString(), "--list", list.toString(), "--frames-root",
                frames.toString(), "--frame-template", "%05d.jpg", "--json", "-");
        assertEquals(0, e.status(), e.err());
        assertEquals(1.0, JsonParser.parseString(e.out()).getAsJsonObject().get("top5").getAsDouble(), 0);

        CliRun wrongTemplate = run("video", "eval", "--model", model.toString(), "--list", list.toString(),
                "--frames-root", frames.toString(), "--frame-template", "img_{:05d}.jpg");
        assertEquals(2, wrongTemplate.status());
        assertTrue(wrongTemplate.err().contains("no usable video (all 2 skipped, first: " + list
                + ":1: video 1: frame folder"), wrongTemplate.err());
        Path other = dir.resolve("other_category.txt");
        Files.writeString(other, "Pushing something\nHolding something\n");
        CliRun otherLabels = run("video", "eval", "--model", model.toString(), "--list", list.toString(),
                "--frames-root", frames.toString(), "--labels", other.toString());
        assertEquals(2, otherLabels.status());
        assertTrue(otherLabels.err().contains(other + ": its 2 classes are not the model's 2 (first difference at"
                + " label 0)"), otherLabels.err());
        CliRun noIndex = run("video", "eval", "--model", model.toString(), "--list", list.toString(),
                "--frame-template", "frame.jpg");
        assertEquals(2, noIndex.status());
        assertTrue(noIndex.err().contains("frame template 'frame.jpg'"), noIndex.err());
    }

    /** --stop-at (and its older spelling --max-steps) ends the session as in every trainer, and says so. */
    @Test
    void stopAtSaysTheRunIsIncomplete() {
        for (String flag : new String[] {"--stop-at", "--max-steps"}) {
            CliRun t = run("video", "train", "--data", dir.resolve("ss").toString(), "--backbone", "resnet8w8", "--crop",
                    "16", "--segments", "4", "--clips-per-batch", "2", "--epochs", "1", "--no-eval", "--out",
                    dir.resolve("stopped" + flag).toString(), flag, "2", "--quiet");
            assertEquals(0, t.status(), t.err());
            assertTrue(t.out().endsWith("\nstopped at step 2 of 4: continue with --resume\n"), t.out());
        }
    }

    /** A 1-epoch run of the demo on 14 training clips: both models train and are reported (accuracy not asserted). */
    @Test
    void demoRunsBothModels() {
        CliRun d = run("demo", "video", "--out", dir.resolve("demo").toString(), "--epochs", "1", "--train-videos", "14");
        assertEquals(0, d.status(), "a missed target is a result, as in the other demos: " + d.err());
        assertTrue(d.out().contains("validation top-1: TSM"), d.out());
        assertTrue(d.out().matches("(?s).*\ndemo: TSM [0-9.]+% vs TSN [0-9.]+% top-1 \\(target: .*, (met|NOT MET)\\)\n"),
                d.out());
        assertTrue(Files.isRegularFile(dir.resolve("demo").resolve("tsn").resolve("model.params")));
        // --quiet: the result line alone
        CliRun quiet = run("demo", "video", "--out", dir.resolve("demo").toString(), "--epochs", "1", "--train-videos",
                "14", "--quiet");
        assertEquals(0, quiet.status(), quiet.err());
        assertTrue(quiet.out().startsWith("demo: TSM ") && quiet.out().lines().count() == 1, quiet.out());
        assertEquals("", quiet.err());
    }
}
