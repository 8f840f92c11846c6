package ai.wsbcn.segmentation.train;

import ai.djl.ndarray.NDManager;
import ai.wsbcn.norm.testing.TestEngines;
import ai.wsbcn.segmentation.data.SegmentationSample;
import ai.wsbcn.segmentation.data.synthetic.SyntheticVoc;
import ai.wsbcn.norm.ConvNorm;
import ai.wsbcn.segmentation.model.DeepLabV3;
import ai.wsbcn.segmentation.model.ModelSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A few training steps lower the loss, for each norm (and BCN+WS on PyTorch too). */
class TrainingTest {

    private static final SyntheticVoc GEN = SyntheticVoc.builder().optImageSize(40, 40).optShapesPerImage(2, 3)
            .optRadius(0.2, 0.4).optSeed(3).build();

    static List<SegmentationSample> images(int n) {
        return java.util.stream.IntStream.range(0, n).mapToObj(i -> GEN.render(SyntheticVoc.Split.TRAIN, i)).toList();
    }

    static ModelSpec tinySpec(String norm) {
        return new ModelSpec(norm, "test", new int[] {1, 1, 1, 1}, new int[] {8, 8, 16, 16}, 8, new int[] {1, 1, 1},
                new int[] {1, 2, 3}, 16, 0f, GEN.numClasses(), GEN.classNames());
    }

    static TrainConfig.Builder config(Path out) {
        // no scaling, crop = image: the same two images every step, so the loss must fall
        return TrainConfig.builder().setOutDir(out).optIters(12).optLr(0.05f).optCrop(40).optScaleRange(1, 1)
                .optLogEvery(4).optCheckpointEvery(100).optQuiet(true);
    }

    @ParameterizedTest
    @ValueSource(strings = {"bn", "gn", "gn+ws", "bn+ws", "bcn+ws", "djl-bn"})
    void lossFallsForEachNorm(String norm, @TempDir Path out) throws IOException {
        try (NDManager m = NDManager.newBaseManager(TestEngines.MXNET)) {
            ModelSpec spec = tinySpec(norm);
            DeepLabV3 model = spec.build(ConvNorm::parse);
            TrainResult r = new SegmentationTrainer(model, spec, TrainingSet.of(images(2)), config(out).build(), m,
                    null).train();
            assertEquals(12, r.steps());
            assertTrue(r.lastLoss() < 0.9 * r.firstLoss(), norm + ": loss " + r.firstLoss() + " -> " + r.lastLoss());
            List<String> csv = Files.readAllLines(out.resolve("train_log.csv"));
            assertEquals(4, csv.size(), csv.toString());
            assertTrue(Files.isRegularFile(out.resolve("checkpoint.bin")));
        }
    }

    @Test
    void bcnWsTrainsOnPyTorchToo(@TempDir Path out) throws IOException {
        try (NDManager m = NDManager.newBaseManager(TestEngines.PYTORCH)) {
            ModelSpec spec = tinySpec("bcn+ws");
            DeepLabV3 model = spec.build(ConvNorm::parse);
            TrainResult r = new SegmentationTrainer(model, spec, TrainingSet.of(images(2)), config(out).build(), m,
                    null).train();
            assertTrue(r.lastLoss() < 0.9 * r.firstLoss(), "loss " + r.firstLoss() + " -> " + r.lastLoss());
        }
    }

    /** A label that is no class of the model (nor 255) stops training naming the sample and the pixel. */
    @Test
    void aLabelOutsideTheClassesIsRefused(@TempDir Path out) {
        SegmentationSample good = images(1).get(0);
        byte[] labels = good.label().labels().clone();
        labels[5 * good.label().width() + 7] = (byte) 200; // pixel (7, 5); the model has GEN.numClasses() classes
        SegmentationSample bad = new SegmentationSample("train_bad", good.image(),
                new ai.wsbcn.segmentation.data.LabelMap(good.label().width(), good.label().height(), labels));
        try (NDManager m = NDManager.newBaseManager(TestEngines.MXNET)) {
            ModelSpec spec = tinySpec("gn");
            DeepLabV3 model = spec.build(ConvNorm::parse);
            ai.wsbcn.util.InvalidInputException e = org.junit.jupiter.api.Assertions.assertThrows(
                    ai.wsbcn.util.InvalidInputException.class, () -> new SegmentationTrainer(model, spec,
                            TrainingSet.of(List.of(bad)), config(out).optIters(1).build(), m, null).train());
            assertTrue(e.getMessage().startsWith("train_bad: label 200 at pixel (7, 5) is neither a class (0.."),
                    e.getMessage());
        }
    }
}
