package ai.wsbcn.video.train;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.wsbcn.report.CsvLog;
import ai.wsbcn.report.LossCurvePlot;
import ai.wsbcn.report.ProgressBar;
import ai.wsbcn.util.AtomicFiles;
import ai.wsbcn.util.Seeds;
import ai.wsbcn.util.InvalidInputException;
import ai.wsbcn.video.data.VideoClipDataset;
import ai.wsbcn.video.eval.TopKAccuracy;
import ai.wsbcn.video.eval.VideoEvaluator;
import ai.wsbcn.video.model.BackboneWeights;
import ai.wsbcn.video.model.TsmModelSpec;
import ai.wsbcn.video.model.TsmNetwork;
import ai.wsbcn.norm.train.BadInputStop;
import ai.wsbcn.norm.train.BcnRates;
import ai.wsbcn.norm.train.HeldWeights;
import ai.wsbcn.norm.train.Prefetcher;
import ai.wsbcn.norm.train.TransientArrays;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import java.util.stream.IntStream;

/**
 * The TSM training loop: per optimizer step, {@code iterSize} micro-batches of {@code clipsPerBatch} clips (shuffled
 * per epoch with a seeded permutation) are run forward and backward under autograd, their gradients summed, then
 * {@link ClipSgd} clips by global norm and updates; the learning rate follows {@link LrSteps} per epoch, becomes every
 * BCN layer's update rate and is handed to {@code rateListener} before each epoch. With an output folder: a CSV log per
 * step ({@code train_log.csv}), evaluations per epoch ({@code eval_log.csv}), an atomic {@code checkpoint.bin}
 * (parameters incl. running statistics, momentum, position) every {@code checkpointEvery} steps and at each epoch end,
 * and the final {@code model.json}/{@code model.params}. {@code resume} continues from {@code checkpoint.bin}.
 */
public final class VideoTrainer {

    private static final String[] LOG_COLUMNS = {"step", "epoch", "lr", "loss", "batch_top1", "grad_norm", "seconds"};
    public static final String CHECKPOINT = "checkpoint.bin";

    private final TsmModelSpec spec;
    private final VideoClipDataset trainSet;
    private final VideoClipDataset valSet;
    private final Path outDir;
    private final int epochs;
    private final int clipsPerBatch;
    private final int iterSize;
    private final LrSteps schedule;
    private final float momentum;
    private final float weightDecay;
    private final float clipNorm;
    private final long seed;
    private final boolean resume;
    private final int checkpointEvery;
    private final int evalEvery;
    private final long maxSteps;
    private final PrintStream console;
    private final Consumer<Float> rateListener;
    private final Path initialWeights;

    private VideoTrainer(Builder b) {
        this.spec = b.spec;
        this.trainSet = b.trainSet;
        this.valSet = b.valSet;
        this.outDir = b.outDir;
        this.epochs = b.epochs;
        this.clipsPerBatch = b.clipsPerBatch;
        this.iterSize = b.iterSize;
        this.schedule = new LrSteps(b.lr, b.lrSteps, 0.1f);
        this.momentum = b.momentum;
        this.weightDecay = b.weightDecay;
        this.clipNorm = b.clipNorm;
        this.seed = b.seed;
        this.resume = b.resume;
        this.checkpointEvery = b.checkpointEvery;
        this.evalEvery = b.evalEvery;
        this.maxSteps = b.maxSteps;
        this.console = b.console;
        this.rateListener = b.rateListener;
        this.initialWeights = b.initialWeights;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The output folder ({@code null} when nothing is written). */
    public Path outDir() {
        return outDir;
    }

    public int stepsPerEpoch() {
        return Math.toIntExact(trainSet.size() / ((long) clipsPerBatch * iterSize));
    }

    /** Trains a fresh (or resumed) network in {@code manager}; the trained network is {@link #network()} after. */
    public TrainResult train(NDManager manager) throws IOException {
        lastEvalAtResume = null;
        int stepsPerEpoch = stepsPerEpoch();
        if (stepsPerEpoch == 0) {
            throw new InvalidInputException("training set has " + trainSet.size() + " clips, fewer than one step of "
                    + clipsPerBatch + " x " + iterSize);
        }
        Path ckpt = outDir == null ? null : outDir.resolve(CHECKPOINT);
        boolean resuming = resume && ckpt != null && Files.isRegularFile(ckpt);
        // seeds the engine's generator: initial weights (and dropout masks) follow from the run's seed
        manager.getEngine().setRandomSeed((int) (seed ^ (seed >>> 32)));
        net = spec.buildInitialized(manager);
        if (initialWeights != null && !resuming) {
            loadInitialWeights(manager);
        }
        ClipSgd sgd = new ClipSgd(net, manager, momentum, weightDecay, clipNorm);
        VideoCheckpoint.Position start = new VideoCheckpoint.Position(0, 0, 0);
        if (resuming) {
            start = VideoCheckpoint.load(ckpt, net, sgd, manager);
            say(String.format(Locale.ROOT, "resumed from %s at epoch %d, step %d", ckpt, start.epoch() + 1,
                    start.step()));
        }
        long step = start.step();
        CsvLog log = null;
        if (outDir != null) {
            Files.createDirectories(outDir);
            Path logFile = outDir.resolve("train_log.csv");
            // on resume, rows of steps after the checkpoint (an interrupted run logged them) are dropped
            log = step > 0 ? CsvLog.resume(logFile, step + 1, LOG_COLUMNS) : CsvLog.create(logFile, LOG_COLUMNS);
            if (step == 0 || !Files.exists(outDir.resolve("eval_log.csv"))) {
                AtomicFiles.writeString(outDir.resolve("eval_log.csv"), "epoch,step,top1,top5,mean_class_accuracy\n");
            } else if (catchUpEvaluation(start)) {
                lastEvalAtResume = evaluate(start.epoch() - 1, step, Double.NaN, manager);
            }
        }
        Updater updater = new Updater(manager, sgd);
        completedAt = start;
        savedStep = start.step();
        long t0 = System.nanoTime();
        final long firstStep = step;
        transients = new TransientArrays(manager);
        double firstEpochLoss = Double.NaN;
        double lastEpochLoss = Double.NaN;
        TopKAccuracy lastEval = lastEvalAtResume;
        int clipLength = Math.toIntExact(trainSet.clipShape().size());
        try (Prefetcher<float[]> clips = new Prefetcher<>("video-train-loader")) {
            try {
                for (int epoch = start.epoch(); epoch < epochs && step < maxSteps; epoch++) {
                    trainSet.setEpoch(epoch);
                    int[] perm = permutation(Math.toIntExact(trainSet.size()), seed, epoch);
                    float lr = schedule.lrAt(epoch);
                    BcnRates.set(net, lr); // BCN's estimates move at the learning rate (no-op without BCN layers)
                    rateListener.accept(lr);
                    double lossSum = 0;
                    int lossCount = 0;
                    int first = epoch == start.epoch() ? start.stepInEpoch() : 0;
                    final int ep = epoch;
                    clips.start((long) first * iterSize, (long) stepsPerEpoch * iterSize,
                            micro -> loadClips(perm, (int) micro, ep, clipLength));
                    int done = first;
                    ProgressBar bar = console == null ? null : new ProgressBar("epoch " + (epoch + 1) + "/" + epochs,
                            stepsPerEpoch, console, System.console() != null, Math.max(1, stepsPerEpoch / 10))
                            .resumeAt(first);
                    for (int s = first; s < stepsPerEpoch && step < maxSteps; s++) {
                        long ts = System.nanoTime();
                        boolean sweep = step > firstStep; // the first step of a run may create state that must live on
                        if (sweep) {
                            transients.mark();
                        }
                        manager.getEngine().setRandomSeed(Seeds.engineSeed(seed, step)); // the dropout masks
                        double[] lossAndTop1 = updater.update(clips, perm, s * iterSize, lr);
                        if (sweep) {
                            transients.sweep();
                        }
                        step++;
                        lossSum += lossAndTop1[0];
                        lossCount++;
                        double secs = (System.nanoTime() - ts) / 1e9;
                        if (log != null) {
                            log.row(step, epoch + 1, lr, lossAndTop1[0], lossAndTop1[1], sgd.lastGradNorm(), secs);
                        }
                        if (bar != null) {
                            bar.set("loss", "%.4f", lossAndTop1[0]).set("mean", "%.4f", lossSum / lossCount)
                                    .set("lr", "%.3g", lr).update(s + 1);
                        }
                        done = s + 1;
                        completedAt = done == stepsPerEpoch ? new VideoCheckpoint.Position(epoch + 1, 0, step)
                                : new VideoCheckpoint.Position(epoch, done, step);
                        if (ckpt != null && checkpointEvery > 0 && step % checkpointEvery == 0) {
                            VideoCheckpoint.save(ckpt, net, sgd, new VideoCheckpoint.Position(epoch, done, step));
                            savedStep = step;
                        }
                    }
                    if (bar != null) {
                        bar.finish();
                    }
                    double epochLoss = lossCount == 0 ? Double.NaN : lossSum / lossCount;
                    if (epoch == start.epoch()) {
                        firstEpochLoss = epochLoss;
                    }
                    lastEpochLoss = epochLoss;
                    if (ckpt != null) {
                        // a run stopped by maxSteps mid-epoch resumes inside that epoch
                        boolean epochDone = done == stepsPerEpoch;
                        VideoCheckpoint.save(ckpt, net, sgd, new VideoCheckpoint.Position(epochDone ? epoch + 1 : epoch,
                                epochDone ? 0 : done, step));
                        savedStep = step;
                    }
                    boolean last = epoch == epochs - 1 || step >= maxSteps;
                    if (valSet != null && (last || (evalEvery > 0 && (epoch + 1) % evalEvery == 0))) {
                        lastEval = evaluate(epoch, step, epochLoss, manager);
                    } else {
                        say(String.format(Locale.ROOT, "epoch %d: train loss %.4f", epoch + 1, epochLoss));
                    }
                }
            } catch (InvalidInputException e) {
                if (ckpt == null) {
                    throw e;
                }
                VideoCheckpoint.Position at = completedAt;
                throw BadInputStop.keepWork(e, at.step(), savedStep,
                        u -> VideoCheckpoint.save(ckpt, net, sgd, at));
            }
        } finally {
            if (log != null) {
                log.close();
            }
        }
        if (outDir != null) {
            spec.save(outDir, net);
            LossCurvePlot.plotLog(outDir.resolve("train_log.csv"), outDir.resolve("loss_curve.png"),
                    "TSM training loss", List.of("loss"), 800, 450);
        }
        return new TrainResult(firstStep, step, lastEpochLoss, firstEpochLoss, lastEval, (System.nanoTime() - t0) / 1e9);
    }

    /**
     * One optimizer step's work: {@code iterSize} micro-batches forward and backward, their gradients summed by
     * {@link ClipSgd}, then its clipped update. Where WS runs on the host (MXNet), each WS weight is standardised once
     * per update and the gradient of W_hat carried to the weight after the last micro-batch (README, "Weight
     * standardisation once per update"); those weights are skipped by the per-micro-batch accumulation.
     */
    private final class Updater {
        private final NDManager manager;
        private final ClipSgd sgd;
        private final HeldWeights held;
        private final boolean holdWs;
        private final Set<Parameter> heldWeights;
        private final Shape clip = trainSet.clipShape();
        private final int classes = spec.classes().size();

        Updater(NDManager manager, ClipSgd sgd) {
            this.manager = manager;
            this.sgd = sgd;
            held = HeldWeights.of(net);
            holdWs = held.standardizesOnHost();
            heldWeights = holdWs ? Set.copyOf(held.weights()) : Set.of();
        }

        /** Runs the update whose first micro-batch is {@code firstMicro}; returns {mean loss, batch top-1}. */
        double[] update(Prefetcher<float[]> clips, int[] perm, int firstMicro, float lr) {
            double loss = 0;
            int correct = 0;
            if (holdWs) {
                held.hold();
            }
            boolean complete = false;
            try {
                for (int k = 0; k < iterSize; k++) {
                    float[] x = clips.next();
                    int[] labels = new int[clipsPerBatch];
                    float[] oneHot = new float[clipsPerBatch * classes];
                    for (int i = 0; i < clipsPerBatch; i++) {
                        labels[i] = trainSet.label(perm[(firstMicro + k) * clipsPerBatch + i]);
                        oneHot[i * classes + labels[i]] = 1f;
                    }
                    MicroBatchStep.Result r = MicroBatchStep.run(net, manager, x,
                            new Shape(clipsPerBatch).addAll(clip), oneHot, classes, 1f / iterSize);
                    sgd.accumulate(heldWeights);
                    if (k == 0 && iterSize > 1) {
                        held.accumulateFromNextBackward(); // one call per convolution: only when more follow
                    }
                    loss += r.loss() / iterSize;
                    correct += countTop1(r.scores(), labels, classes);
                }
                complete = true;
            } finally {
                held.release(complete);
            }
            if (holdWs) {
                sgd.addGradients(heldWeights); // written by the release
            }
            sgd.step(lr);
            return new double[] {loss, (double) correct / (clipsPerBatch * iterSize)};
        }
    }

    /**
     * Brings the evaluation log of a run resumed at {@code start} to what an uninterrupted run's would hold: rows of
     * later steps (trained again) are dropped; returns whether the evaluation due at the end of the epoch just
     * checkpointed is missing (a kill between the end-of-epoch checkpoint and its validation).
     */
    private boolean catchUpEvaluation(VideoCheckpoint.Position start) throws IOException {
        int finished = start.epoch(); // at an epoch boundary: the epochs complete, i.e. the last one's 1-based number
        boolean have = CsvLog.truncateAfter(outDir.resolve("eval_log.csv"), 1, start.step()).stream()
                .anyMatch(row -> Integer.parseInt(row[0]) == finished && Long.parseLong(row[1]) == start.step());
        boolean due = valSet != null && start.stepInEpoch() == 0 && finished > 0
                && (finished == epochs || (evalEvery > 0 && finished % evalEvery == 0));
        return due && !have;
    }

    private TopKAccuracy lastEvalAtResume;
    /** Where the run stands after its last completed update, and the step of its last checkpoint. */
    private VideoCheckpoint.Position completedAt;
    private long savedStep;

    private TopKAccuracy evaluate(int epoch, long step, double epochLoss, NDManager manager) throws IOException {
        TopKAccuracy eval = VideoEvaluator.evaluate(net, manager, valSet, clipsPerBatch, null);
        say(String.format(Locale.ROOT, "epoch %d: train loss %.4f, validation %s", epoch + 1, epochLoss,
                eval.lines(false).get(0)));
        if (outDir != null) {
            appendLine(outDir.resolve("eval_log.csv"), String.format(Locale.ROOT, "%d,%d,%.6f,%.6f,%.6f",
                    epoch + 1, step, eval.top1(), eval.topK(), eval.meanClassAccuracy()));
        }
        return eval;
    }

    private TsmNetwork net;
    private TransientArrays transients;

    /** Arrays held directly by the training manager after the last step (constant from step 2 on; for tests). */
    int managerArrays() {
        return transients == null ? -1 : transients.directCount();
    }

    private void loadInitialWeights(NDManager manager) {
        try (NDManager tmp = manager.newSubManager()) {
            BackboneWeights.Report r = BackboneWeights.load(net, BackboneWeights.read(initialWeights, tmp),
                    initialWeights.toString());
            if (!r.missing().isEmpty()) {
                throw new InvalidInputException(initialWeights + ": lacks " + r.missing().size()
                        + " backbone parameters of " + net + ", e.g. " + r.missing().subList(0,
                        Math.min(5, r.missing().size())) + " (a checkpoint of another norm?)");
            }
            say(String.format(Locale.ROOT, "initialised %d parameters from %s (%d entries unused%s)", r.loaded(),
                    initialWeights, r.unused().size(), r.unused().isEmpty() ? ""
                            : ", e.g. " + r.unused().subList(0, Math.min(3, r.unused().size()))));
        }
    }

    /** The network of the last {@link #train} call. */
    public TsmNetwork network() {
        return net;
    }

    /** Micro-batch {@code micro} of an epoch: the clips {@code perm[micro * clipsPerBatch ..]}, decoded, flattened. */
    private float[] loadClips(int[] perm, int micro, int epoch, int clipLength) {
        float[] x = new float[clipsPerBatch * clipLength];
        IntStream.range(0, clipsPerBatch).parallel().forEach(i -> System.arraycopy(
                trainSet.sample(perm[micro * clipsPerBatch + i], epoch), 0, x, i * clipLength, clipLength));
        return x;
    }

    static int countTop1(float[] scores, int[] labels, int classes) {
        int correct = 0;
        for (int i = 0; i < labels.length; i++) {
            int best = 0;
            for (int c = 1; c < classes; c++) {
                if (scores[i * classes + c] > scores[i * classes + best]) {
                    best = c;
                }
            }
            if (best == labels[i]) {
                correct++;
            }
        }
        return correct;
    }

    /** A seeded Fisher-Yates permutation of {@code 0..n-1} for one epoch. */
    static int[] permutation(int n, long seed, int epoch) {
        return Seeds.shuffledIndices(n, new SplittableRandom(seed * 1_000_003L + epoch));
    }

    private static void appendLine(Path file, String line) throws IOException {
        Files.writeString(file, line + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
    }

    private void say(String line) {
        if (console != null) {
            console.println(line);
        }
    }

    /** Builder: {@code setSpec}, {@code setTrainSet} required. Defaults are the TSM Something-Something recipe. */
    public static final class Builder {
        private TsmModelSpec spec;
        private VideoClipDataset trainSet;
        private VideoClipDataset valSet;
        private Path outDir;
        private int epochs = 45;
        private int clipsPerBatch = 8;
        private int iterSize = 1;
        private float lr = 0.0125f;
        private int[] lrSteps = {26, 36};
        private float momentum = 0.9f;
        private float weightDecay = 5e-4f;
        private float clipNorm = 20f;
        private long seed;
        private boolean resume;
        private int checkpointEvery;
        private int evalEvery = 1;
        private long maxSteps = Long.MAX_VALUE;
        private PrintStream console;
        private Consumer<Float> rateListener = lr -> { };
        private Path initialWeights;

        private Builder() {}

        /**
         * Starts from these weights (a {@code .pth}, {@code .safetensors} or {@code .npz} state dict with torchvision
         * names, e.g. an ImageNet ResNet) instead of random ones; ignored when resuming from a checkpoint.
         */
        public Builder optInitialWeights(Path initialWeights) {
            this.initialWeights = initialWeights;
            return this;
        }

        public Builder setSpec(TsmModelSpec spec) {
            this.spec = spec;
            return this;
        }

        public Builder setTrainSet(VideoClipDataset trainSet) {
            this.trainSet = trainSet;
            return this;
        }

        /** Evaluated every {@code evalEvery} epochs and at the end. */
        public Builder optValSet(VideoClipDataset valSet) {
            this.valSet = valSet;
            return this;
        }

        public Builder optOutDir(Path outDir) {
            this.outDir = outDir;
            return this;
        }

        public Builder optEpochs(int epochs) {
            this.epochs = epochs;
            return this;
        }

        public Builder optClipsPerBatch(int clipsPerBatch) {
            this.clipsPerBatch = clipsPerBatch;
            return this;
        }

        /** Micro-batches per optimizer step (gradient accumulation). */
        public Builder optIterSize(int iterSize) {
            this.iterSize = iterSize;
            return this;
        }

        public Builder optLr(float lr) {
            this.lr = lr;
            return this;
        }

        /** Epochs (1-based count of finished epochs) after which the rate is divided by 10. */
        public Builder optLrSteps(int... lrSteps) {
            this.lrSteps = lrSteps.clone();
            return this;
        }

        public Builder optMomentum(float momentum) {
            this.momentum = momentum;
            return this;
        }

        public Builder optWeightDecay(float weightDecay) {
            this.weightDecay = weightDecay;
            return this;
        }

        /** Global gradient-norm clip (20 in TSM; 0 disables). */
        public Builder optClipNorm(float clipNorm) {
            this.clipNorm = clipNorm;
            return this;
        }

        public Builder optSeed(long seed) {
            this.seed = seed;
            return this;
        }

        public Builder optResume(boolean resume) {
            this.resume = resume;
            return this;
        }

        /** Also checkpoint every this many optimizer steps (0: only at epoch ends). */
        public Builder optCheckpointEvery(int checkpointEvery) {
            this.checkpointEvery = checkpointEvery;
            return this;
        }

        public Builder optEvalEvery(int evalEvery) {
            this.evalEvery = evalEvery;
            return this;
        }

        /** Stop after this many optimizer steps in total (tests, demos). */
        public Builder optMaxSteps(long maxSteps) {
            this.maxSteps = maxSteps;
            return this;
        }

        /** Where the progress bar and per-epoch lines go ({@code null}: silent). */
        public Builder optConsole(PrintStream console) {
            this.console = console;
            return this;
        }

        /** Called with the learning rate at each epoch start (e.g. to set BCN's update rate). */
        public Builder optRateListener(Consumer<Float> rateListener) {
            this.rateListener = rateListener;
            return this;
        }

        public VideoTrainer build() {
            if (spec == null || trainSet == null) {
                throw new IllegalArgumentException("setSpec and setTrainSet are required");
            }
            if (clipsPerBatch < 1 || iterSize < 1 || epochs < 1) {
                throw new InvalidInputException("clips per batch, iter size and epochs must be >= 1");
            }
            if (trainSet.segments() != spec.segments()) {
                throw new IllegalArgumentException("data set samples " + trainSet.segments() + " segments, model has "
                        + spec.segments());
            }
            return new VideoTrainer(this);
        }
    }
}
