package ai.wsbcn.cli.segmentation;

import ai.wsbcn.cli.CliRun;
import ai.wsbcn.cli.Main;
import ai.wsbcn.segmentation.data.synthetic.SyntheticVoc;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code segmentation train|eval|predict} and {@code eval voc} through {@link Main#run} on a tiny synthetic VOC set:
 * the mIoU that {@code eval voc} computes from the written predictions equals the one {@code segmentation eval}
 * printed, and user errors exit with status 2 and a message naming the file.
 */
class SegmentationCommandsTest {

    private static CliRun run(String... args) {
        return CliRun.of(args);
    }

    @Test
    void trainEvalPredictAndScore(@TempDir Path dir) throws IOException {
        Path data = dir.resolve("voc");
        SyntheticVoc.builder().optImageSize(40, 32).optImagesPerSplit(4, 3).optAugLayout(true).build().write(data);
        Path out = dir.resolve("run");
        CliRun train = run("segmentation", "train", "--data", data.toString(), "--out", out.toString(), "--norm",
                "gn+ws", "--backbone", "tiny", "--num-classes", "6", "--iters", "3", "--crop", "32", "--lr", "0.01",
                "--log-every", "1");
        assertEquals(0, train.status(), train.err());
        assertTrue(Files.isRegularFile(out.resolve("checkpoint.bin")) && Files.isRegularFile(out.resolve(
                "model.json")));
        assertEquals(4, Files.readAllLines(out.resolve("train_log.csv")).size());

        Path pred = dir.resolve("pred");
        Path json = dir.resolve("m.json");
        CliRun eval = run("segmentation", "eval", "--data", data.toString(), "--checkpoint", out.toString(),
                "--pred-dir", pred.toString(), "--json", json.toString());
        assertEquals(0, eval.status(), eval.err());
        // the progress line of every command, on standard error
        assertTrue(eval.err().contains("eval [") && eval.err().contains(" it/s"), eval.err());
        JsonObject m = JsonParser.parseString(Files.readString(json)).getAsJsonObject();

        Path json2 = dir.resolve("m2.json");
        CliRun score = run("eval", "voc", "--gt-dir", data.resolve("SegmentationClass").toString(), "--pred-dir",
                pred.toString(), "--num-classes", "6", "--list",
                data.resolve("ImageSets/Segmentation/val.txt").toString(), "--json", json2.toString());
        assertEquals(0, score.status(), score.err());
        JsonObject m2 = JsonParser.parseString(Files.readString(json2)).getAsJsonObject();
        assertEquals(m.get("mIoU").getAsDouble(), m2.get("mIoU").getAsDouble(), 0);
        assertEquals(m.get("IoU").toString(), m2.get("IoU").toString());
        assertTrue(score.out().contains("mIoU"), score.out());

        CliRun predict = run("segmentation", "predict", "--checkpoint", out.resolve("checkpoint.bin").toString(),
                "--out", dir.resolve("p").toString(), data.resolve("JPEGImages/val_000001.jpg").toString());
        assertEquals(0, predict.status(), predict.err());
        assertTrue(Files.isRegularFile(dir.resolve("p/val_000001.png")));
        assertTrue(Files.isRegularFile(dir.resolve("p/val_000001_overlay.jpg")));

        // a missing prediction is a user error naming the file
        Files.delete(pred.resolve("val_000002.png"));
        CliRun missing = run("eval", "voc", "--gt-dir", data.resolve("SegmentationClass").toString(), "--pred-dir",
                pred.toString(), "--num-classes", "6", "--list",
                data.resolve("ImageSets/Segmentation/val.txt").toString());
        assertEquals(2, missing.status());
        assertTrue(missing.err().contains("val_000002.png") && missing.err().contains("missing"), missing.err());
        CliRun badNorm = run("segmentation", "train", "--data", data.toString(), "--out", out.toString(), "--norm",
                "xx");
        assertEquals(2, badNorm.status());
        assertTrue(badNorm.err().contains("--norm"), badNorm.err());
        // a group count that only the built model shows to be wrong is a --norm error too, not a crash
        CliRun badGroups = run("segmentation", "train", "--data", data.toString(), "--out",
                dir.resolve("g").toString(), "--norm", "gn(7)+ws", "--backbone", "tiny", "--num-classes", "6",
                "--iters", "1", "--crop", "32");
        assertEquals(2, badGroups.status(), badGroups.err());
        assertTrue(badGroups.err().contains("--norm: ") && badGroups.err().contains("cannot be split into 7 groups"),
                badGroups.err());
    }

    @Test
    void aYamlConfigThenResumeWithTheSavedFlags(@TempDir Path dir) throws IOException {
        Path data = dir.resolve("voc");
        SyntheticVoc.builder().optImageSize(40, 32).optImagesPerSplit(3, 1).optAugLayout(true).build().write(data);
        Path cfg = dir.resolve("deeplab.yaml");
        Files.writeString(cfg, "data: " + data + "\nnorm: gn+ws\nbackbone: tiny\nnum_classes: 6\niters: 99\n"
                + "crop: 32\nlr: 0.01\nlog-every: 1\ncheckpoint-every: 1\n");
        Path out = dir.resolve("run");
        // the flag wins over the file's 99 iterations; --stop-at belongs to this invocation only
        CliRun first = run("segmentation", "train", "--config", cfg.toString(), "--out", out.toString(), "--iters",
                "3", "--stop-at", "2");
        assertEquals(0, first.status(), first.err());
        assertTrue(first.out().startsWith("trained steps 0..2"), first.out());
        // said on standard output, as by every trainer
        assertTrue(first.out().endsWith("\nstopped at step 2 of 3: continue with --resume\n"), first.out());
        JsonObject saved = JsonParser.parseString(Files.readString(out.resolve("config.json"))).getAsJsonObject();
        assertEquals("3", saved.get("iters").getAsString());
        assertEquals(data.toString(), saved.get("data").getAsString());
        assertEquals("gn+ws", saved.get("norm").getAsString());
        assertTrue(!saved.has("stop-at") && !saved.has("config") && !saved.has("resume"), saved.toString());

        // --resume alone takes the run's own flags from OUT/config.json
        CliRun resumed = run("segmentation", "train", "--out", out.toString(), "--resume");
        assertEquals(0, resumed.status(), resumed.err());
        assertTrue(resumed.out().startsWith("trained steps 2..3"), resumed.out());
        assertEquals(4, Files.readAllLines(out.resolve("train_log.csv")).size());
        // flags describing another network than the checkpoint's are refused, the saved flags kept
        String savedFlags = Files.readString(out.resolve("config.json"));
        CliRun otherNet = run("segmentation", "train", "--out", out.toString(), "--resume", "--norm", "bn");
        assertEquals(2, otherNet.status(), otherNet.err());
        assertTrue(otherNet.err().contains("a resumed run keeps its model") && otherNet.err().contains("--norm"),
                otherNet.err());
        assertEquals(savedFlags, Files.readString(out.resolve("config.json")));
        CliRun finished = run("segmentation", "train", "--out", out.toString(), "--resume");
        assertEquals(0, finished.status(), finished.err());
        assertTrue(finished.out().startsWith("nothing to train: the run is complete at step 3"), finished.out());

        Files.writeString(cfg, "nrom: gn\n");
        CliRun unknown = run("segmentation", "train", "--config", cfg.toString(), "--out", out.toString());
        assertEquals(2, unknown.status());
        assertTrue(unknown.err().contains(cfg + ": nrom: not a flag of 'wsbcn segmentation train'"), unknown.err());
    }
    /**
     * {@code eval voc --list} reads lists as training does: DeepLab's IMAGE LABEL pairs by their image's id (the whole
     * first field was taken as an id, {@code /JPEGImages/x.jpg.png} "not found"), an id listed twice refused (it was
     * counted twice).
     */
    @Test
    void evalVocListsAreDeepLabPairsOrIdsAndNoIdTwice(@TempDir Path dir) throws IOException {
        Path data = dir.resolve("voc");
        SyntheticVoc.builder().optImageSize(24, 16).optImagesPerSplit(2, 2).build().write(data);
        Path gt = data.resolve("SegmentationClass");
        Path pairs = dir.resolve("pairs.txt");
        Files.writeString(pairs, "/JPEGImages/val_000001.jpg /SegmentationClass/val_000001.png\r\n"
                + "/JPEGImages/val_000002.jpg /SegmentationClass/val_000002.png  \r\n\r\n");
        CliRun scored = run("eval", "voc", "--gt-dir", gt.toString(), "--pred-dir", gt.toString(), "--num-classes",
                "6", "--list", pairs.toString());
        assertEquals(0, scored.status(), scored.err());
        assertTrue(scored.err().contains("scored 2 images") && scored.out().contains("mIoU 100.00"),
                scored.err() + scored.out());
        Path twice = dir.resolve("twice.txt");
        Files.writeString(twice, "val_000001\nval_000002\nval_000001\n");
        CliRun dup = run("eval", "voc", "--gt-dir", gt.toString(), "--pred-dir", gt.toString(), "--num-classes",
                "6", "--list", twice.toString());
        assertEquals(2, dup.status(), dup.err());
        assertTrue(dup.err().contains("twice.txt:3: 'val_000001' is listed again (line 1)"), dup.err());
    }

    /**
     * Results never overwrite an input image (refused before the checkpoint is even read), nor each other (two
     * inputs of one name get their whole names as stems).
     */
    @Test
    void predictRefusesToOverwriteItsInputs(@TempDir Path dir) throws IOException {
        Path photos = Files.createDirectories(dir.resolve("photos"));
        Path png = photos.resolve("cat.png");
        Files.write(png, new byte[] {1, 2, 3});
        Path jpg = Files.createDirectories(dir.resolve("more")).resolve("cat.jpg");
        Files.write(jpg, new byte[] {4});
        String noCheckpoint = dir.resolve("no-run").toString();
        CliRun inPlace = run("segmentation", "predict", "--checkpoint", noCheckpoint, "--out", photos.toString(),
                png.toString());
        assertEquals(2, inPlace.status(), inPlace.err());
        assertTrue(inPlace.err().contains(png + ": would be overwritten by the result " + png), inPlace.err());
        assertEquals(3, Files.size(png));
        Path out = dir.resolve("out");
        List<PredictionFiles> sameStem = PredictionFiles.plan(List.of(png, jpg), out);
        assertEquals(List.of(out.resolve("cat.png.png"), out.resolve("cat.jpg.png")),
                sameStem.stream().map(PredictionFiles::labels).toList());
        assertEquals(out.resolve("cat.jpg_overlay.jpg"), sameStem.get(1).overlay());
    }
}
