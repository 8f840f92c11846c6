package ai.wsbcn.segmentation.demo;

import ai.djl.ndarray.NDManager;
import ai.wsbcn.segmentation.data.VocDataset;
import ai.wsbcn.segmentation.data.synthetic.SyntheticVoc;
import ai.wsbcn.segmentation.eval.ModelEvaluator;
import ai.wsbcn.segmentation.eval.SegmentationMetrics;
import ai.wsbcn.norm.ConvNorm;
import ai.wsbcn.segmentation.model.DeepLabV3;
import ai.wsbcn.segmentation.model.ModelSpec;
import ai.wsbcn.segmentation.predict.Segmenter;
import ai.wsbcn.segmentation.train.SegmentationTrainer;
import ai.wsbcn.segmentation.train.TrainConfig;
import ai.wsbcn.segmentation.train.TrainResult;
import ai.wsbcn.segmentation.train.TrainingSet;
import ai.wsbcn.segmentation.transforms.ImageNormalizer;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * {@code wsbcn demo segmentation}: writes a synthetic VOC-format set, trains a small DeepLabV3 (built-in tiny dilated
 * ResNet, output stride 8, ASPP with rates scaled to the small feature map) at batch 1 with the chosen norm (BCN+WS by
 * default), then scores the val split with the same evaluator as {@code wsbcn eval voc}.
 */
public final class SegmentationDemo {

    /** Demo settings; the defaults are the measured configuration described in the README. */
    public record Settings(String norm, int iters, float lr, int crop, int trainImages, int valImages, int imageSize,
                           long seed, int batch) {
        public static Settings defaults() {
            return new Settings("bcn+ws", 1500, 0.02f, 96, 400, 100, 128, 7, 1);
        }
    }

    private SegmentationDemo() {}

    public static SegmentationMetrics run(Settings s, Path out, NDManager manager, PrintStream log)
            throws IOException {
        Path dataRoot = out.resolve("data");
        SyntheticVoc gen = SyntheticVoc.builder().optImageSize(s.imageSize(), s.imageSize())
                .optImagesPerSplit(s.trainImages(), s.valImages()).optSeed(s.seed()).build();
        if (!Files.isRegularFile(dataRoot.resolve("ImageSets/Segmentation/val.txt"))) {
            long t0 = System.nanoTime();
            gen.write(dataRoot);
            log.printf(Locale.ROOT, "wrote %d train + %d val synthetic images (%d classes) to %s in %.1f s%n",
                    s.trainImages(), s.valImages(), gen.numClasses(), dataRoot, (System.nanoTime() - t0) / 1e9);
        }
        VocDataset train = VocDataset.builder().setRoot(dataRoot).setSplit("train").build();
        VocDataset val = VocDataset.builder().setRoot(dataRoot).setSplit("val").build();
        ModelSpec spec = demoSpec(s.norm(), gen);
        DeepLabV3 model = spec.build(ConvNorm::parse);
        log.println(spec + " on " + manager.getEngine().getEngineName());
        TrainConfig cfg = TrainConfig.builder().setOutDir(out.resolve("train")).optIters(s.iters()).optLr(s.lr())
                .optBatch(s.batch()).optCrop(s.crop()).optSeed(s.seed()).optLogEvery(50)
                .optCheckpointEvery(500).build();
        TrainResult r = new SegmentationTrainer(model, spec, TrainingSet.of(train), cfg, manager, log).train();
        log.printf(Locale.ROOT, "trained %d steps at %.3f s/step; loss %.3f -> %.3f%n", r.steps(), r.secondsPerStep(),
                r.firstLoss(), r.lastLoss());
        SegmentationMetrics m = ModelEvaluator.evaluate(new Segmenter(model, manager, ImageNormalizer.IMAGENET),
                val.samples(), spec.numClasses(), out.resolve("val_pred"), log);
        m.tableLines(spec.classNames()).forEach(log::println);
        m.writeJson(out.resolve("val_metrics.json"), spec.classNames());
        return m;
    }

    /** The demo network: tiny dilated ResNet (16/32/64/96 channels), OS 8, ASPP rates 2/4/6, 64-channel head. */
    public static ModelSpec demoSpec(String norm, SyntheticVoc gen) {
        return ModelSpec.of(norm, "tiny", 8, gen.numClasses(), gen.classNames()).withRates(2, 4, 6).withFilters(64)
                .withDropout(0.1f);
    }
}
