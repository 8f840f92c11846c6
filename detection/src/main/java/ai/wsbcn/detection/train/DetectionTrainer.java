package ai.wsbcn.detection.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import ai.wsbcn.detection.data.CocoSamples;
import ai.wsbcn.detection.eval.DetectionEvaluator;
import ai.wsbcn.detection.model.BlockShapes;
import ai.wsbcn.detection.model.DetectorConfig;
import ai.wsbcn.detection.model.MaskRcnn;
import ai.wsbcn.detection.transforms.DetectionTransform;
import ai.wsbcn.detection.transforms.ImageBatch;
import ai.wsbcn.detection.transforms.TargetInstances;
import ai.wsbcn.norm.train.BadInputStop;
import ai.wsbcn.norm.train.MicroBatchTrainer;
import ai.wsbcn.norm.train.Sgd;
import ai.wsbcn.norm.train.TrainableGradients;
import ai.wsbcn.norm.train.TrainingCheckpoint;
import ai.wsbcn.norm.train.TransientArrays;
import ai.wsbcn.pretrained.io.ArchitectureInference;
import ai.wsbcn.pretrained.io.StateDicts;
import ai.wsbcn.pretrained.registry.PretrainedRegistry;
import ai.wsbcn.report.CsvLog;
import ai.wsbcn.report.LossCurvePlot;
import ai.wsbcn.report.LossWindow;
import ai.wsbcn.report.ProgressBar;
import ai.wsbcn.util.AtomicFiles;
import ai.wsbcn.util.InvalidInputException;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Trains Mask R-CNN / Faster R-CNN: {@code iter-size} micro-batches of {@code images-per-batch} images per SGD update
 * ({@link MicroBatchTrainer}, which also ties BCN update rates to the learning rate), momentum 0.9, weight decay 1e-4,
 * Detectron's warmup + step schedule scaled to the total batch ({@link DetectionSchedule}).
 *
 * <p>Writes to {@code out}: {@code config.json} (resolved settings), {@code model.json} ({@link DetectorConfig}),
 * {@code checkpoint.bin} (atomic, every {@code checkpoint-every} updates and at the end), {@code train_log.csv}
 * (step, lr, total and every named loss, seconds per step), {@code loss_curve.png}, and with {@code eval-every} > 0
 * {@code eval_log.csv}. Data order, flips and sampler draws derive from (seed, micro-batch index), so a resumed run
 * continues exactly like an uninterrupted one.
 */
public final class DetectionTrainer {

    public record Outcome(int startStep, int endStep, double firstLoss, double lastLoss, double secondsPerStep,
            Path checkpoint, int scheduleEnd) {

        /** Whether the run stopped before its schedule's end (at {@code stopAt}), to be continued with resume. */
        public boolean stoppedEarly() {
            return endStep < scheduleEnd;
        }
    }

    private final DetectionTrainConfig cfg;
    private final CocoSamples train;
    private final CocoSamples val;
    private final NDManager manager;
    private final PrintStream progress;
    private MaskRcnn model;

    public DetectionTrainer(DetectionTrainConfig cfg, CocoSamples train, CocoSamples val, NDManager manager,
            PrintStream progress) {
        this.cfg = cfg;
        this.train = train;
        this.val = val;
        this.manager = manager;
        this.progress = progress;
    }

    /** The model after {@link #train} (or null before). */
    public MaskRcnn model() {
        return model;
    }

    /** The detector architecture described by {@code cfg} for {@code numClasses} categories. */
    public static DetectorConfig detectorConfig(DetectionTrainConfig cfg, String arch, int numClasses) {
        String kind = cfg.get("arch");
        if (!kind.equals("mask-rcnn") && !kind.equals("faster-rcnn")) {
            throw new InvalidInputException("--arch: expected mask-rcnn or faster-rcnn, got '" + kind + "'");
        }
        int min = cfg.getInt("min-size");
        DetectorConfig.Builder b = DetectorConfig.builder().setArch(arch).setNorm(cfg.get("norm"))
                .setNumClasses(numClasses).optMasks(kind.equals("mask-rcnn")).optFreezeAt(cfg.freezeAt())
                .optMinSizes(min).optMaxSize(cfg.getInt("max-size"))
                .optFpnChannels(cfg.getInt("fpn-channels"))
                .optRepresentationSize(cfg.getInt("representation-size"))
                .optHeadConvs(4, cfg.getInt("head-channels")).optMaskConvs(4, cfg.getInt("head-channels"))
                .optRpnSampling(cfg.getInt("rpn-batch"), 0.5f).optBoxSampling(cfg.getInt("roi-batch"), 0.25f)
                .optRpnTopN(2000, cfg.getInt("rpn-post-nms-train"), 1000, cfg.getInt("rpn-post-nms-test"));
        String[] anchors = cfg.get("anchor-sizes").split(",");
        float[][] sizes = new float[anchors.length][];
        try {
            for (int i = 0; i < anchors.length; i++) {
                sizes[i] = new float[] {Float.parseFloat(anchors[i].trim())};
            }
        } catch (NumberFormatException e) {
            throw new InvalidInputException("--anchor-sizes: expected 5 comma-separated sizes, got '"
                    + cfg.get("anchor-sizes") + "'");
        }
        if (sizes.length != 5) {
            throw new InvalidInputException("--anchor-sizes: expected 5 sizes (P2..P6), got " + sizes.length);
        }
        b.optAnchorSizes(sizes);
        if (cfg.getInt("width") > 0) {
            b.optWidth(cfg.getInt("width"));
        }
        if (cfg.getInt("stem") > 0) {
            b.optStemChannels(cfg.getInt("stem"));
        }
        return b.build();
    }

    /** Registry name or checkpoint file -> weights path, or null when {@code backbone} is an architecture name. */
    public static Path backboneWeights(String backbone) throws IOException {
        PretrainedRegistry registry = PretrainedRegistry.defaultRegistry();
        if (registry.find(backbone).isPresent()) {
            return registry.resolve(backbone);
        }
        Path p = Path.of(backbone);
        if (Files.isRegularFile(p)) {
            return p;
        }
        if (backbone.contains("/") || backbone.contains(".")) {
            throw new InvalidInputException("--backbone: " + backbone + ": no such file or registry name");
        }
        return null;
    }

    /**
     * Trains to the schedule's end, or to update {@code stopAt} when it is positive (a run stopped early resumes from
     * its checkpoint with {@code resume}).
     */
    public Outcome train(int stopAt) throws IOException {
        if (train.size() == 0) {
            String ann = cfg.get("ann");
            throw new InvalidInputException((ann == null ? "the training set" : ann)
                    + ": no image with a usable annotation to train on (images without one are skipped)");
        }
        Path out = Path.of(cfg.require("out"));
        Files.createDirectories(out);
        Path ckpt = out.resolve("checkpoint.bin");
        Path csvFile = out.resolve("train_log.csv");
        boolean resume = cfg.resume() && Files.isRegularFile(ckpt);
        Path weights = backboneWeights(cfg.get("backbone"));
        String arch = weights == null ? cfg.get("backbone")
                : ArchitectureInference.infer(StateDicts.read(weights), weights.toString()).id();
        DetectorConfig dc = detectorConfig(cfg, arch, train.categories().size());

        long seed = cfg.getInt("seed");
        model = buildModel(dc, seed, weights != null && !resume ? weights : null);
        DetectionSchedule schedule = cfg.schedule();
        Sgd sgd = Sgd.builder().setSchedule(schedule.lrSchedule(cfg.lr()))
                .optMomentum(cfg.getFloat("momentum")).optWeightDecay(cfg.getFloat("weight-decay")).build();
        int iterSize = cfg.getInt("iter-size");
        MicroBatchTrainer trainer = MicroBatchTrainer.builder().setModel(model).setOptimizer(sgd)
                .optIterSize(iterSize).build();
        int start = 0;
        if (resume) {
            TrainingCheckpoint.load(ckpt, model, sgd, manager);
            start = (int) sgd.updateIndex();
            say("resumed from " + ckpt + " at step " + start);
        }
        // only now, with the model built and any checkpoint accepted: a run refused for bad input (a resume whose
        // checkpoint does not fit, say) leaves the folder's settings as they were, so a plain --resume still works
        cfg.write(out.resolve("config.json"));
        AtomicFiles.writeString(out.resolve("model.json"), dc.toJson() + "\n");
        writeCategories(train, out.resolve("categories.json"));
        int iters = schedule.iterations();
        int end = stopAt > 0 ? Math.min(stopAt, iters) : iters;
        List<String> lossNames = new ArrayList<>(List.of("loss_objectness", "loss_rpn_box_reg", "loss_classifier",
                "loss_box_reg"));
        if (dc.masks()) {
            lossNames.add("loss_mask");
        }
        List<String> cols = new ArrayList<>(List.of("step", "lr", "loss"));
        cols.addAll(lossNames);
        cols.add("seconds_per_step");
        String[] columns = cols.toArray(new String[0]);
        MicroBatchSampler sampler = new MicroBatchSampler(train, seed, cfg.getInt("images-per-batch"));
        DetectionTransform transform = model.transform();
        ParameterStore ps = new ParameterStore(manager, false);
        int logEvery = Math.max(1, cfg.getInt("log-every"));
        int evalEvery = cfg.getInt("eval-every");
        int ckptEvery = Math.max(1, cfg.getInt("checkpoint-every"));
        ProgressBar bar = progress == null ? null
                : new ProgressBar("train", iters, progress, System.console() != null, logEvery).resumeAt(start);
        LossWindow window = new LossWindow(lossNames.size());
        if (val != null && evalEvery > 0) {
            catchUpEvaluations(out, start, evalEvery);
        }
        long tStart = System.nanoTime();
        TransientArrays janitor = new TransientArrays(manager);
        try (CsvLog csv = start > 0 ? CsvLog.resume(csvFile, start + 1L, columns) : CsvLog.create(csvFile, columns)) {
            int saved = start;
            int completed = start;
            try {
                for (int step = start; step < end; step++) {
                    float lr = sgd.currentLearningRate();
                    double[] parts = new double[lossNames.size()];
                    if (step > start) {
                        janitor.mark();
                    }
                    final long firstMicro = (long) step * iterSize;
                    float loss;
                    try (NDManager stepManager = manager.newSubManager()) {
                        loss = trainer.step(k -> {
                            Random rng = sampler.random(firstMicro + k);
                            List<TargetInstances> targets = new ArrayList<>();
                            ImageBatch batch = transform.batch(stepManager, sampler.samples(firstMicro + k), rng,
                                    targets);
                            Map<String, NDArray> losses = model.losses(ps, batch, targets, rng);
                            for (int j = 0; j < lossNames.size(); j++) {
                                NDArray l = losses.get(lossNames.get(j));
                                if (l != null) {
                                    parts[j] += l.getFloat() / iterSize;
                                }
                            }
                            return MaskRcnn.total(losses);
                        });
                    }
                    janitor.sweep();
                    if (!Float.isFinite(loss)) {
                        throw new IllegalStateException("training diverged: loss " + loss + " at step " + (step + 1)
                                + " (lower --lr)");
                    }
                    window.add(loss, parts);
                    int done = step + 1;
                    if (done % logEvery == 0 || done == end) {
                        csv.row(window.row(done, lr));
                    }
                    if (bar != null) {
                        bar.set("loss", "%.3f", loss);
                        for (int j = 0; j < parts.length; j++) {
                            bar.set(lossNames.get(j).replace("loss_", ""), "%.3f", parts[j]);
                        }
                        bar.set("lr", "%.4f", lr).update(done);
                    }
                    if (done % ckptEvery == 0 || done == end) {
                        saveCheckpoint(ckpt, sgd, dc, done);
                        saved = done;
                    }
                    completed = done;
                    if (val != null && evalEvery > 0 && done % evalEvery == 0 && done != end) {
                        evaluate(out, done);
                    }
                }
            } catch (InvalidInputException e) {
                throw BadInputStop.keepWork(e, completed, saved, u -> saveCheckpoint(ckpt, sgd, dc, (int) u));
            }
        } finally {
            if (bar != null) {
                bar.finish();
            }
        }
        List<String> plotted = new ArrayList<>(List.of("loss"));
        plotted.addAll(lossNames);
        LossCurvePlot.plotLog(csvFile, out.resolve("loss_curve.png"), "Detection training loss", plotted, 900, 500);
        double perStep = (System.nanoTime() - tStart) / 1e9 / Math.max(1, end - start);
        return new Outcome(start, Math.max(start, end), window.first(), window.last(), perStep, ckpt, iters);
    }

    /** The detector, initialised from {@code seed}, with ImageNet weights in its backbone when given. */
    private MaskRcnn buildModel(DetectorConfig dc, long seed, Path backboneWeights) throws IOException {
        MaskRcnn m = MaskRcnn.build(dc);
        manager.getEngine().setRandomSeed((int) seed);
        int pad = (int) Math.ceil(cfg.getInt("min-size") / 32.0) * 32;
        m.initialize(manager, pad, pad);
        if (backboneWeights != null) {
            loadBackbone(m, backboneWeights);
        }
        TrainableGradients.attach(m);
        return m;
    }

    private void saveCheckpoint(Path ckpt, Sgd sgd, DetectorConfig dc, int step) throws IOException {
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("step", Integer.toString(step));
        meta.put("model", dc.toJson());
        meta.put("config", cfg.toJson());
        meta.put("engine", manager.getEngine().getEngineName());
        BlockShapes.fillMissingInputShapes(model);
        TrainingCheckpoint.save(ckpt, model, sgd, meta);
    }

    /**
     * The evaluation log of a resumed run as an uninterrupted run's would be at step {@code start}: rows after it
     * (made after the checkpoint by a run killed later) are dropped, since those steps are trained again, and the
     * evaluation due at {@code start} itself is made if a kill came between the checkpoint and its row.
     */
    private void catchUpEvaluations(Path out, int start, int evalEvery) throws IOException {
        boolean have = CsvLog.truncateAfter(out.resolve("eval_log.csv"), 0, start).stream()
                .anyMatch(row -> Long.parseLong(row[0]) == start);
        if (start > 0 && start % evalEvery == 0 && !have) {
            evaluate(out, start);
        }
    }

    private void evaluate(Path out, int step) throws IOException {
        logEvaluation(out, step, DetectionEvaluator.run(model, manager, val, train.categories(), 0, null, null));
    }

    /**
     * Appends an evaluation at {@code step} to {@code out/eval_log.csv} and says it: the periodic ones, and the
     * final one that the command makes after training (with its results file).
     */
    public void logEvaluation(Path out, int step, DetectionEvaluator.Result r) throws IOException {
        Path log = out.resolve("eval_log.csv");
        boolean fresh = !Files.exists(log);
        String line = step + "," + r.boxAp() + "," + r.boxAp50() + "," + r.maskAp() + "\n";
        Files.writeString(log, (fresh ? "step,box_ap,box_ap50,mask_ap\n" : "") + line, StandardCharsets.UTF_8,
                java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
        say(String.format("eval at step %d: box AP %.3f AP50 %.3f mask AP %.3f", step, r.boxAp(), r.boxAp50(),
                r.maskAp()));
    }

    /** ImageNet weights into {@code backbone.body.}; the FPN and heads keep their initialisation. */
    public static void loadBackbone(MaskRcnn model, Path weights) throws IOException {
        ai.wsbcn.pretrained.io.LoadReport r = StateDicts.loadBackbone(model, weights, "backbone.body.");
        System.err.println("backbone initialised from " + weights + ": " + r.loaded() + " tensors");
    }

    /** [{"id":..,"name":..}] in label order 1..K, so prediction maps labels back to names and category ids. */
    public static void writeCategories(CocoSamples data, Path file) throws IOException {
        com.google.gson.JsonArray a = new com.google.gson.JsonArray();
        for (int label = 1; label <= data.categories().size(); label++) {
            com.google.gson.JsonObject o = new com.google.gson.JsonObject();
            o.addProperty("id", data.categories().categoryId(label));
            o.addProperty("name", data.categories().name(label));
            a.add(o);
        }
        AtomicFiles.writeString(file, a + "\n");
    }

    private void say(String line) {
        if (progress != null) {
            progress.println(line);
        }
    }
}
