package ai.wsbcn.segmentation.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import ai.wsbcn.norm.train.BadInputStop;
import ai.wsbcn.norm.train.EpochOrder;
import ai.wsbcn.norm.train.LrSchedule;
import ai.wsbcn.norm.train.MicroBatchTrainer;
import ai.wsbcn.norm.train.Prefetcher;
import ai.wsbcn.norm.train.Sgd;
import ai.wsbcn.norm.train.TrainableGradients;
import ai.wsbcn.norm.train.TrainingCheckpoint;
import ai.wsbcn.norm.train.TransientArrays;
import ai.wsbcn.report.CsvLog;
import ai.wsbcn.report.LossCurvePlot;
import ai.wsbcn.report.LossWindow;
import ai.wsbcn.report.ProgressBar;
import ai.wsbcn.segmentation.data.SegmentationSample;
import ai.wsbcn.segmentation.model.ModelSpec;
import ai.wsbcn.segmentation.transforms.ImageNormalizer;
import ai.wsbcn.segmentation.transforms.RandomScaleCropFlip;
import ai.wsbcn.util.AtomicFiles;
import ai.wsbcn.util.InvalidInputException;
import ai.wsbcn.util.Seeds;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * DeepLabV3 training with micro-batches, on plugin-norm's training kit: each update sums the gradients of
 * {@code iterSize} micro-batches of {@code batch} random-scale/crop/flip samples ({@link MicroBatchTrainer}, which also
 * sets every BCN's estimate update rate to the update's learning rate, the paper's rule), then takes a PyTorch-style
 * SGD step ({@link Sgd}: momentum 0.9, weight decay 1e-4 on conv weights) with DeepLab's poly schedule (power 0.9).
 * The next micro-batch is decoded and augmented on a background thread while the current one trains. Initialisation,
 * data order and augmentation are functions of the seed and the micro-batch index, so a run resumed from its
 * checkpoint continues exactly as it would have.
 *
 * <p>Writes to the output folder: {@code checkpoint.bin} ({@link TrainingCheckpoint}, atomic, every
 * {@code checkpointEvery} updates and at the end), {@code model.json} (the {@link ModelSpec}, needed to rebuild the
 * network), {@code train_config.json}, {@code train_log.csv} ({@code step,lr,loss,seconds_per_step}) and
 * {@code loss_curve.png}.
 */
public final class SegmentationTrainer {

    private final Block model;
    private final ModelSpec spec;
    private final TrainingSet data;
    private final TrainConfig cfg;
    private final NDManager manager;
    private final PrintStream progress;

    public SegmentationTrainer(Block model, ModelSpec spec, TrainingSet data, TrainConfig cfg, NDManager manager,
                               PrintStream progress) {
        this.model = model;
        this.spec = spec;
        this.data = data;
        this.cfg = cfg;
        this.manager = manager;
        this.progress = progress;
    }

    /** Normalised images ({@code N x 3 x crop x crop}) and labels ({@code N x crop x crop}) of one micro-batch. */
    private record HostBatch(float[] images, int[] labels) {}

    public TrainResult train() throws IOException {
        Files.createDirectories(cfg.outDir);
        Path ckpt = cfg.outDir.resolve("checkpoint.bin");
        Path csvFile = cfg.outDir.resolve("train_log.csv");
        AtomicFiles.writeString(cfg.outDir.resolve("model.json"), spec.toJson() + "\n");
        AtomicFiles.writeString(cfg.outDir.resolve("train_config.json"), cfg.toString() + "\n");

        Shape inShape = new Shape(cfg.batch, 3, cfg.crop, cfg.crop);
        if (!isInitialized(model)) {
            // seeded initialisation: a run is a function of its seed (and resumable runs start alike)
            manager.getEngine().setRandomSeed((int) cfg.seed);
            model.initialize(manager, DataType.FLOAT32, inShape);
            if (cfg.backboneWeights != null && !(cfg.resume && Files.isRegularFile(ckpt))) {
                loadBackbone(model, cfg.backboneWeights);
            }
        }
        TrainableGradients.attach(model);
        Sgd sgd = Sgd.builder().setSchedule(LrSchedule.poly(cfg.lr, cfg.iters, cfg.power))
                .optMomentum(cfg.momentum).optWeightDecay(cfg.weightDecay).build();
        MicroBatchTrainer trainer = MicroBatchTrainer.builder().setModel(model).setOptimizer(sgd)
                .optIterSize(cfg.iterSize).build();
        int start = 0;
        if (cfg.resume && Files.isRegularFile(ckpt)) {
            TrainingCheckpoint.load(ckpt, model, sgd, manager);
            start = (int) sgd.updateIndex();
            say("resumed from " + ckpt + " at step " + start);
        }
        String[] columns = {"step", "lr", "loss", "seconds_per_step"};
        int end = cfg.stopAt > 0 ? Math.min(cfg.stopAt, cfg.iters) : cfg.iters;
        List<Double> stepTimes = new ArrayList<>();
        LossWindow window = new LossWindow(0);
        RandomScaleCropFlip augment = RandomScaleCropFlip.builder().optCrop(cfg.crop)
                .optScaleRange(cfg.minScale, cfg.maxScale).build();
        ImageNormalizer norm = ImageNormalizer.IMAGENET;
        ParameterStore ps = new ParameterStore(manager, false);
        ProgressBar bar = progress == null || cfg.quiet ? null
                : new ProgressBar("train", cfg.iters, progress, System.console() != null, cfg.logEvery)
                .resumeAt(start);
        long tStart = System.nanoTime();
        try (CsvLog csv = start > 0 ? CsvLog.resume(csvFile, start + 1L, columns) : CsvLog.create(csvFile, columns);
                Prefetcher<HostBatch> batches = new Prefetcher<>("seg-loader")) {
            EpochOrder order = new EpochOrder(cfg.seed, data.size());
            batches.start((long) start * cfg.iterSize, Long.MAX_VALUE, micro -> load(micro, order, augment, norm));
            TransientArrays janitor = new TransientArrays(manager);
            int saved = start;
            int completed = start;
            try {
                for (int step = start; step < end; step++) {
                    long tStep = System.nanoTime();
                    manager.getEngine().setRandomSeed(Seeds.engineSeed(cfg.seed, step)); // the head's dropout masks
                    float lr = sgd.currentLearningRate();
                    float loss;
                    if (step > start) {
                        janitor.mark();
                    }
                    try (NDManager stepManager = manager.newSubManager()) {
                        loss = trainer.step(k -> {
                            HostBatch hb = batches.next();
                            NDArray x = stepManager.create(hb.images, inShape);
                            NDArray y = stepManager.create(hb.labels, new Shape(cfg.batch, cfg.crop, cfg.crop));
                            NDArray logits = model.forward(ps, new NDList(x), true).singletonOrThrow();
                            return SegmentationLoss.crossEntropy(logits, y);
                        });
                    }
                    janitor.sweep();
                    if (!Float.isFinite(loss)) {
                        throw new IllegalStateException("training diverged: loss " + loss + " at step " + (step + 1)
                                + " (lower --lr)");
                    }
                    stepTimes.add((System.nanoTime() - tStep) / 1e9);
                    window.add(loss);
                    int done = step + 1;
                    if (done % cfg.logEvery == 0 || done == end) {
                        csv.row(window.row(done, lr));
                    }
                    if (bar != null) {
                        bar.set("loss", "%.4f", loss).set("lr", "%.5f", lr).update(done);
                    }
                    if (done % cfg.checkpointEvery == 0 || done == end) {
                        saveCheckpoint(ckpt, sgd, done);
                        saved = done;
                    }
                    completed = done;
                }
            } catch (InvalidInputException e) {
                throw BadInputStop.keepWork(e, completed, saved, u -> saveCheckpoint(ckpt, sgd, (int) u));
            }
        } finally {
            if (bar != null) {
                bar.finish();
            }
        }
        LossCurvePlot.plotLog(csvFile, cfg.outDir.resolve("loss_curve.png"), "DeepLabV3 training loss", List.of("loss"),
                800, 450);
        double perStep = (System.nanoTime() - tStart) / 1e9 / Math.max(1, end - start);
        return new TrainResult(start, Math.max(start, end), window.first(), window.last(), perStep,
                stepTimes.stream().mapToDouble(Double::doubleValue).toArray());
    }

    private HostBatch load(long microIndex, EpochOrder order, RandomScaleCropFlip augment, ImageNormalizer norm) {
        int n = cfg.batch;
        int hw = cfg.crop * cfg.crop;
        float[] images = new float[n * 3 * hw];
        int[] labels = new int[n * hw];
        for (int i = 0; i < n; i++) {
            long t = microIndex * n + i;
            int index = order.index(t);
            SegmentationSample raw = data.get(index);
            checkLabels(raw, index);
            SegmentationSample s = augment.apply(raw,
                    new Random(Seeds.murmurMix(cfg.seed * 0x9E3779B97F4A7C15L + t)));
            norm.toChw(s.image(), images, i * 3 * hw);
            byte[] l = s.label().labels();
            for (int p = 0; p < hw; p++) {
                labels[i * hw + p] = l[p] & 0xff;
            }
        }
        return new HostBatch(images, labels);
    }

    private void saveCheckpoint(Path ckpt, Sgd sgd, int done) throws IOException {
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("step", Integer.toString(done));
        meta.put("model", spec.toJson());
        meta.put("train", cfg.toString());
        meta.put("engine", manager.getEngine().getEngineName());
        TrainingCheckpoint.save(ckpt, model, sgd, meta);
    }

    /**
     * Every label is a class of the model or 255 (ignored): anything else would train on a target the loss does not
     * check (or fail deep inside it), where evaluation refuses the same file.
     */
    private void checkLabels(SegmentationSample sample, int index) {
        byte[] l = sample.label().labels();
        int classes = spec.numClasses();
        for (int p = 0; p < l.length; p++) {
            int v = l[p] & 0xff;
            if (v >= classes && v != 255) {
                int w = sample.label().width();
                throw new InvalidInputException(data.labelSource(index) + ": label " + v + " at pixel (" + p % w
                        + ", " + p / w + ") is neither a class (0.." + (classes - 1) + ") nor 255 (ignored)");
            }
        }
    }

    /** ImageNet-style weights into the {@code backbone.} sub-tree; the head keeps its initialisation. */
    private static void loadBackbone(Block model, Path weights) throws java.io.IOException {
        ai.wsbcn.pretrained.io.LoadReport r = ai.wsbcn.pretrained.io.StateDicts.loadBackbone(model, weights,
                "backbone.");
        System.err.println("backbone initialised from " + weights + ": " + r.loaded() + " tensors");
    }

    private static boolean isInitialized(Block b) {
        for (Pair<String, Parameter> p : b.getParameters()) {
            if (!p.getValue().isInitialized()) {
                return false;
            }
        }
        return true;
    }

    private void say(String line) {
        if (progress != null && !cfg.quiet) {
            progress.println(line);
        }
    }

}
