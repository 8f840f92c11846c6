package ai.wsbcn.segmentation.train;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.wsbcn.norm.BlockPaths;
import ai.wsbcn.norm.testing.TestEngines;
import ai.wsbcn.segmentation.data.SegmentationSample;
import ai.wsbcn.norm.ConvNorm;
import ai.wsbcn.segmentation.model.DeepLabV3;
import ai.wsbcn.segmentation.model.ModelSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** A run stopped and resumed ends where an uninterrupted one does; training steps leave no arrays behind. */
class TrainingStateTest {

    @Test
    void stepsLeaveNoArraysInTheModelManager(@TempDir Path dir) throws IOException {
        int[] counts = new int[2];
        int[] iters = {3, 9};
        for (int i = 0; i < 2; i++) {
            try (NDManager m = NDManager.newBaseManager(TestEngines.MXNET)) {
                ModelSpec spec = TrainingTest.tinySpec("bcn+ws");
                DeepLabV3 model = spec.build(ConvNorm::parse);
                new SegmentationTrainer(model, spec, TrainingSet.of(TrainingTest.images(2)), TrainingTest.config(dir.resolve("r" + i))
                        .optIters(iters[i]).build(), m, null).train();
                counts[i] = ((ai.djl.ndarray.BaseNDManager) m).getManagedArrays().size();
            }
        }
        assertEquals(counts[0], counts[1], "arrays left after 3 vs 9 steps");
    }

    /** With the head's dropout on, as the command line trains: its masks are drawn per (seed, step) too. */
    @Test
    void resumedRunMatchesUninterruptedRun(@TempDir Path dir) throws IOException {
        try (NDManager m = NDManager.newBaseManager(TestEngines.MXNET)) {
            ModelSpec spec = TrainingTest.tinySpec("bcn+ws").withDropout(0.5f);
            List<SegmentationSample> data = TrainingTest.images(3);
            Path a = dir.resolve("a");
            Path b = dir.resolve("b");
            TrainConfig.Builder base = TrainConfig.builder().optIters(6).optLr(0.02f).optCrop(32).optLogEvery(1)
                    .optCheckpointEvery(100).optQuiet(true).optBatch(2).optIterSize(2);
            DeepLabV3 full = spec.build(ConvNorm::parse);
            new SegmentationTrainer(full, spec, TrainingSet.of(data), base.setOutDir(a).build(), m, null).train();
            DeepLabV3 first = spec.build(ConvNorm::parse);
            TrainResult r1 = new SegmentationTrainer(first, spec, TrainingSet.of(data),
                    base.setOutDir(b).optStopAt(3).build(), m, null).train();
            assertEquals(3, r1.steps());
            DeepLabV3 second = spec.build(ConvNorm::parse);
            TrainResult r2 = new SegmentationTrainer(second, spec, TrainingSet.of(data),
                    base.setOutDir(b).optStopAt(0).optResume(true).build(), m, null).train();
            assertEquals(3, r2.startStep());
            Map<String, Parameter> pa = BlockPaths.parameters(full);
            Map<String, Parameter> pb = BlockPaths.parameters(second);
            for (String k : pa.keySet()) {
                float[] x = pa.get(k).getArray().toFloatArray();
                float[] y = pb.get(k).getArray().toFloatArray();
                // same arithmetic in the same order on the CPU: equal to float rounding
                assertArrayEquals(x, y, 1e-5f, k);
            }
            List<String> la = Files.readAllLines(a.resolve("train_log.csv"));
            List<String> lb = Files.readAllLines(b.resolve("train_log.csv"));
            assertEquals(la.size(), lb.size());
            for (int i = 1; i < la.size(); i++) {
                assertEquals(la.get(i).split(",")[2], lb.get(i).split(",")[2], "loss at row " + i);
            }
        }
    }

    /**
     * Bad input met at update 4 (of 6, checkpoints every 100): the three updates before it are kept in a checkpoint,
     * and the run resumed from it on good data ends where an uninterrupted run does.
     */
    @Test
    void badInputMidRunKeepsTheUpdatesBeforeIt(@TempDir Path dir) throws IOException {
        try (NDManager m = NDManager.newBaseManager(TestEngines.MXNET)) {
            ModelSpec spec = TrainingTest.tinySpec("gn+ws");
            List<SegmentationSample> data = TrainingTest.images(3);
            TrainingSet good = TrainingSet.of(data);
            java.util.concurrent.atomic.AtomicInteger loads = new java.util.concurrent.atomic.AtomicInteger();
            TrainingSet breaksAtTheFourth = new TrainingSet() {
                @Override
                public int size() {
                    return good.size();
                }

                @Override
                public SegmentationSample get(int index) {
                    if (loads.incrementAndGet() == 4) {
                        throw new ai.wsbcn.util.InvalidInputException("img.jpg: not an image");
                    }
                    return good.get(index);
                }
            };
            TrainConfig.Builder base = TrainConfig.builder().optIters(6).optLr(0.02f).optCrop(32).optLogEvery(1)
                    .optCheckpointEvery(100).optQuiet(true);
            DeepLabV3 full = spec.build(ConvNorm::parse);
            new SegmentationTrainer(full, spec, good, base.setOutDir(dir.resolve("a")).build(), m, null).train();
            Path b = dir.resolve("b");
            ai.wsbcn.util.InvalidInputException e = org.junit.jupiter.api.Assertions.assertThrows(
                    ai.wsbcn.util.InvalidInputException.class, () -> new SegmentationTrainer(spec.build(
                            ConvNorm::parse), spec, breaksAtTheFourth, base.setOutDir(b).build(), m, null).train());
            org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().startsWith("img.jpg: not an image (training"
                    + " stopped after update 3, which is checkpointed"), e.getMessage());
            DeepLabV3 resumed = spec.build(ConvNorm::parse);
            TrainResult r = new SegmentationTrainer(resumed, spec, good, base.setOutDir(b).optResume(true).build(), m,
                    null).train();
            assertEquals(3, r.startStep());
            Map<String, Parameter> pa = BlockPaths.parameters(full);
            Map<String, Parameter> pb = BlockPaths.parameters(resumed);
            for (String k : pa.keySet()) {
                assertArrayEquals(pa.get(k).getArray().toFloatArray(), pb.get(k).getArray().toFloatArray(), 1e-5f, k);
            }
        }
    }
}
