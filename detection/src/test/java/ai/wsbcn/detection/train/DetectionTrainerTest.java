package ai.wsbcn.detection.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.wsbcn.detection.data.CocoSamples;
import ai.wsbcn.detection.data.synthetic.SyntheticShapes;
import ai.wsbcn.detection.eval.DetectionEvaluator;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** A tiny Mask R-CNN on a tiny synthetic set: outputs exist, and stop + resume equals an uninterrupted run. */
class DetectionTrainerTest {

    @TempDir
    Path dir;

    static DetectionTrainConfig tiny(Path data, Path out) {
        DetectionTrainConfig c = DetectionTrainConfig.defaults();
        c.set("out", out.toString(), "test").set("backbone", "resnet18", "test").set("norm", "gn+ws", "test")
                .set("width", "8", "test").set("stem", "8", "test").set("fpn-channels", "16", "test")
                .set("head-channels", "16", "test").set("representation-size", "32", "test")
                .set("min-size", "64", "test").set("max-size", "64", "test").set("iters", "4", "test")
                .set("lr", "0.01", "test").set("roi-batch", "32", "test").set("rpn-post-nms-train", "100", "test")
                .set("rpn-post-nms-test", "50", "test").set("checkpoint-every", "2", "test")
                .set("log-every", "1", "test").set("seed", "3", "test");
        return c;
    }

    static SyntheticShapes.Layout data(Path root) throws Exception {
        return SyntheticShapes.builder().optImageSize(64, 64).optImagesPerSplit(4, 2).optSeed(7).build().write(root);
    }

    @Test
    void resumeContinuesExactly() throws Exception {
        SyntheticShapes.Layout layout = data(dir.resolve("data"));
        CocoSamples train = CocoSamples.open(layout.imageDir(SyntheticShapes.Split.TRAIN),
                layout.annotations(SyntheticShapes.Split.TRAIN), true, true);
        CocoSamples val = CocoSamples.open(layout.imageDir(SyntheticShapes.Split.VAL),
                layout.annotations(SyntheticShapes.Split.VAL), true, false);
        Map<String, float[]> straight;
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            DetectionTrainer t = new DetectionTrainer(tiny(dir, dir.resolve("a")), train, null, m, null);
            t.train(0);
            straight = params(t);
            assertTrue(Files.isRegularFile(dir.resolve("a/config.json")));
            assertTrue(Files.isRegularFile(dir.resolve("a/train_log.csv")));
            assertEquals(5, Files.readAllLines(dir.resolve("a/train_log.csv")).size());
            DetectionEvaluator.Result r = DetectionEvaluator.run(t.model(), m, val, train.categories(), 0,
                    dir.resolve("a/res.json"), null);
            assertEquals(2, r.images());
            assertTrue(Files.isRegularFile(dir.resolve("a/res.json")));
        }
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            new DetectionTrainer(tiny(dir, dir.resolve("b")), train, null, m, null).train(2);
        }
        Map<String, float[]> resumed;
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            DetectionTrainConfig c = tiny(dir, dir.resolve("b")).set("resume", "true", "test");
            DetectionTrainer t = new DetectionTrainer(c, train, null, m, null);
            DetectionTrainer.Outcome o = t.train(0);
            assertEquals(2, o.startStep());
            resumed = params(t);
        }
        assertEquals(straight.keySet(), resumed.keySet());
        // same data order, flips and sampler draws: identical up to float summation order (abs 1e-5)
        for (String k : straight.keySet()) {
            float[] a = straight.get(k);
            float[] b = resumed.get(k);
            for (int i = 0; i < a.length; i++) {
                assertEquals(a[i], b[i], 1e-5f, k + "[" + i + "]");
            }
        }
    }

    /** A training set whose images all lack annotations stops with the annotation file's name, before any work. */
    @Test
    void anEmptyTrainingSetNamesTheAnnotationFile() throws Exception {
        Path ann = dir.resolve("empty.json");
        Files.writeString(ann, "{\"images\": [{\"id\": 1, \"file_name\": \"a.jpg\", \"width\": 32, \"height\": 32}],"
                + " \"annotations\": [], \"categories\": [{\"id\": 1, \"name\": \"x\"}]}");
        CocoSamples empty = CocoSamples.open(dir, ann, true, true);
        assertEquals(0, empty.size());
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            DetectionTrainConfig c = tiny(dir, dir.resolve("e")).set("ann", ann.toString(), "test");
            ai.wsbcn.util.InvalidInputException e = org.junit.jupiter.api.Assertions.assertThrows(
                    ai.wsbcn.util.InvalidInputException.class, () -> new DetectionTrainer(c, empty, null, m, null)
                            .train(0));
            assertTrue(e.getMessage().startsWith(ann + ": no image with a usable annotation"), e.getMessage());
        }
    }

    private static Map<String, float[]> params(DetectionTrainer t) {
        Map<String, float[]> out = new java.util.TreeMap<>();
        for (Map.Entry<String, Parameter> e : t.model().namedParameters().entrySet()) {
            out.put(e.getKey(), e.getValue().getArray().toFloatArray());
        }
        return out;
    }
}
