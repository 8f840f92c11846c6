package ai.wsbcn.cli.detection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.wsbcn.cli.CliRun;
import ai.wsbcn.detection.data.synthetic.SyntheticShapes;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** {@code detection train|eval|predict} through the CLI on a tiny synthetic COCO set, plus user errors (exit 2). */
class DetectionCommandsTest {

    @Test
    void trainEvalPredict(@TempDir Path dir) throws Exception {
        SyntheticShapes.Layout l = SyntheticShapes.builder().optImageSize(64, 64).optImagesPerSplit(3, 2).optSeed(2)
                .build().write(dir.resolve("data"));
        Path out = dir.resolve("run");
        Path yaml = dir.resolve("tiny.yaml");
        Files.writeString(yaml, "backbone: resnet18\nwidth: 8\nstem: 8\nfpn_channels: 16\nhead-channels: 16\n"
                + "representation-size: 32\nmin-size: 64\nmax-size: 64\nroi-batch: 32\nrpn-post-nms-train: 100\n"
                + "rpn-post-nms-test: 50\nlog-every: 1\nlr: 0.5\n");
        CliRun train = CliRun.of("detection", "train", "--engine", "pytorch", "--config", yaml.toString(),
                "--data", l.imageDir(SyntheticShapes.Split.TRAIN).toString(),
                "--ann", l.annotations(SyntheticShapes.Split.TRAIN).toString(), "--out", out.toString(),
                "--iters", "2", "--lr", "0.01", "--val-data", l.imageDir(SyntheticShapes.Split.VAL).toString(),
                "--val-ann", l.annotations(SyntheticShapes.Split.VAL).toString(), "--quiet");
        assertEquals(0, train.status(), train.err() + train.out());
        // results on standard output, progress (none under --quiet) never there
        assertTrue(train.out().startsWith("trained steps 0..2") && !train.out().contains("train ["), train.out());
        assertEquals("", train.err());
        String cfg = Files.readString(out.resolve("config.json"));
        assertTrue(cfg.contains("\"lr\": \"0.01\"") && cfg.contains("\"width\": \"8\""), cfg);
        assertTrue(!cfg.contains("\"resume\""), "per invocation, not a setting of the run: " + cfg);
        // a resume that the checkpoint refuses leaves the run's settings as they were
        CliRun refused = CliRun.of("detection", "train", "--engine", "pytorch", "--out", out.toString(), "--resume",
                "--norm", "gn");
        assertEquals(2, refused.status(), refused.err());
        assertEquals(cfg, Files.readString(out.resolve("config.json")));
        CliRun badLr = CliRun.of("detection", "train", "--engine", "pytorch", "--out", out.toString(), "--resume",
                "--lr", "-1");
        assertEquals(2, badLr.status(), badLr.err());
        assertTrue(badLr.err().contains("--lr: expected a positive number, got '-1'"), badLr.err());
        CliRun finished = CliRun.of("detection", "train", "--engine", "pytorch", "--out", out.toString(), "--resume");
        assertEquals(0, finished.status(), finished.err() + finished.out());
        assertTrue(finished.out().contains("nothing to train: the run is complete at step 2"), finished.out());
        // the final evaluation is the log's row for step 2, once
        List<String> evalLog = Files.readAllLines(out.resolve("eval_log.csv"));
        assertEquals(2, evalLog.size(), evalLog.toString());
        assertTrue(evalLog.get(1).startsWith("2,"), evalLog.toString());
        assertTrue(Files.isRegularFile(out.resolve("loss_curve.png")), "plotted from 2 rows");
        // a run killed after its checkpoint: rows of steps trained again are dropped, the one due at the
        // checkpoint's step is made again
        Path ev = dir.resolve("ev");
        CliRun evRun = CliRun.of("detection", "train", "--engine", "pytorch", "--config", yaml.toString(),
                "--data", l.imageDir(SyntheticShapes.Split.TRAIN).toString(),
                "--ann", l.annotations(SyntheticShapes.Split.TRAIN).toString(), "--out", ev.toString(),
                "--iters", "2", "--lr", "0.01", "--eval-every", "1", "--val-data",
                l.imageDir(SyntheticShapes.Split.VAL).toString(), "--val-ann",
                l.annotations(SyntheticShapes.Split.VAL).toString());
        assertEquals(0, evRun.status(), evRun.err());
        List<String> rows = Files.readAllLines(ev.resolve("eval_log.csv"));
        assertEquals(3, rows.size(), rows.toString());
        Files.write(ev.resolve("eval_log.csv"), List.of(rows.get(0), rows.get(1), "7,0.5,0.5,0.5"));
        CliRun again = CliRun.of("detection", "train", "--engine", "pytorch", "--out", ev.toString(), "--resume");
        assertEquals(0, again.status(), again.err());
        List<String> after = Files.readAllLines(ev.resolve("eval_log.csv"));
        assertEquals(List.of(rows.get(0), rows.get(1), rows.get(2)), after);
        CliRun badNorm = CliRun.of("detection", "train", "--data", l.imageDir(SyntheticShapes.Split.TRAIN).toString(),
                "--ann", l.annotations(SyntheticShapes.Split.TRAIN).toString(), "--out", dir.resolve("bad").toString(),
                "--norm", "foo");
        assertEquals(2, badNorm.status(), badNorm.err());
        assertTrue(badNorm.err().contains("detection train: --norm: unknown norm 'foo'"), badNorm.err());
        CliRun eval = CliRun.of("detection", "eval", "--engine", "pytorch", "--checkpoint", out.toString(),
                "--data", l.imageDir(SyntheticShapes.Split.VAL).toString(),
                "--ann", l.annotations(SyntheticShapes.Split.VAL).toString(),
                "--json", dir.resolve("ap.json").toString(), "--out", dir.resolve("dets.json").toString());
        assertEquals(0, eval.status(), eval.err());
        assertTrue(eval.out().contains("Average Precision"), eval.out());
        assertTrue(Files.isRegularFile(dir.resolve("dets.json")), "--out, the older spelling of --results");
        assertTrue(eval.err().contains("eval [") && eval.err().contains(" it/s"), "one progress style: " + eval.err());
        // the figures as JSON, each iou type as eval coco writes it; the values are the printed ones (3 decimals)
        com.google.gson.JsonObject ap = com.google.gson.JsonParser.parseString(
                Files.readString(dir.resolve("ap.json"))).getAsJsonObject();
        assertEquals(2, ap.get("images").getAsInt());
        for (String type : new String[] {"bbox", "segm"}) {
            com.google.gson.JsonObject o = ap.getAsJsonObject(type);
            assertEquals(type, o.get("iou_type").getAsString());
            assertTrue(eval.out().contains(String.format(java.util.Locale.ROOT,
                    "maxDets=100 ] = %.3f", o.get("AP").getAsDouble())), type + ": " + o + "\n" + eval.out());
        }
        Path img;
        try (var s = Files.list(l.imageDir(SyntheticShapes.Split.VAL))) {
            img = s.sorted().findFirst().orElseThrow();
        }
        CliRun pred = CliRun.of("detection", "predict", "--engine", "pytorch", "--checkpoint", out.toString(),
                "--out", dir.resolve("pred").toString(), "--score", "0", img.toString());
        assertEquals(0, pred.status(), pred.err());
        assertTrue(Files.isRegularFile(dir.resolve("pred/predictions.json")));
        try (var s = Files.list(dir.resolve("pred"))) {
            assertTrue(s.anyMatch(p -> p.toString().endsWith(".png")));
        }
    }

    /** --stop-at as in the other training commands: a session ends after that step, without the final evaluation. */
    @Test
    void stopAtThenResume(@TempDir Path dir) throws Exception {
        SyntheticShapes.Layout l = SyntheticShapes.builder().optImageSize(64, 64).optImagesPerSplit(3, 2).optSeed(2)
                .build().write(dir.resolve("data"));
        Path out = dir.resolve("run");
        CliRun first = CliRun.of("detection", "train", "--engine", "pytorch", "--data",
                l.imageDir(SyntheticShapes.Split.TRAIN).toString(), "--ann",
                l.annotations(SyntheticShapes.Split.TRAIN).toString(), "--val-data",
                l.imageDir(SyntheticShapes.Split.VAL).toString(), "--val-ann",
                l.annotations(SyntheticShapes.Split.VAL).toString(), "--out", out.toString(), "--backbone", "resnet18",
                "--width", "8", "--stem", "8", "--fpn-channels", "16", "--head-channels", "16",
                "--representation-size", "32", "--min-size", "64", "--max-size", "64", "--roi-batch", "32",
                "--rpn-post-nms-train", "100", "--rpn-post-nms-test", "50", "--iters", "2", "--lr", "0.01",
                "--stop-at", "1");
        assertEquals(0, first.status(), first.err());
        assertTrue(first.out().contains("stopped at step 1 of 2: continue with --resume")
                && !first.out().contains("Average Precision"), first.out());
        Path evalLog = out.resolve("eval_log.csv");
        assertTrue(!Files.exists(evalLog) || Files.readAllLines(evalLog).size() == 1, "no evaluation of a stopped session");
        CliRun rest = CliRun.of("detection", "train", "--engine", "pytorch", "--out", out.toString(), "--resume");
        assertEquals(0, rest.status(), rest.err());
        assertTrue(rest.out().startsWith("trained steps 1..2") && rest.out().contains("Average Precision"), rest.out());
    }

    @Test
    void tinyDemo(@TempDir Path dir) throws Exception {
        CliRun demo = CliRun.of("demo", "detection", "--out", dir.toString(), "--iters", "2", "--size", "64",
                "--train-images", "4");
        assertEquals(0, demo.status(), demo.err() + demo.out());
        assertTrue(demo.out().contains("PyTorch") && demo.out().contains("box AP50"), demo.out());
        assertTrue(Files.isRegularFile(dir.resolve("report.md")) && Files.isRegularFile(dir.resolve("report.json")));
        assertTrue(Files.isRegularFile(dir.resolve("val_results.json")));
    }

    @Test
    void helpAndErrors(@TempDir Path dir) {
        CliRun help = CliRun.of("detection", "train", "--help");
        assertEquals(0, help.status());
        assertTrue((help.out() + help.err()).contains("--images-per-batch"), help.out());
        CliRun missing = CliRun.of("detection", "train", "--data", dir.toString(), "--ann",
                dir.resolve("nope.json").toString(), "--out", dir.resolve("o").toString());
        assertEquals(2, missing.status());
        assertTrue(missing.err().contains("nope.json"), missing.err());
        CliRun sched = CliRun.of("detection", "train", "--schedule", "5x", "--config",
                dir.resolve("absent.yaml").toString());
        assertEquals(2, sched.status());
        assertTrue(sched.err().contains("absent.yaml"), sched.err());
        CliRun pred = CliRun.of("detection", "predict", "--checkpoint", dir.toString(), "x.png");
        assertEquals(2, pred.status());
        assertTrue(pred.err().contains("model.json"), pred.err());
    }
}
