package ai.wsbcn.video.train;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.wsbcn.report.CsvLog;
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
import ai.wsbcn.norm.train.HeldWeights;
import ai.wsbcn.norm.train.TransientArrays;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
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

    /** v2 stores each momentum buffer's scale; v1 checkpoints (without) still load. */
    private static final String MAGIC = "wsbcn-tsm-checkpoint-v2";
    private static final String MAGIC_V1 = "wsbcn-tsm-checkpoint-v1";
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
        int stepsPerEpoch = stepsPerEpoch();
        if (stepsPerEpoch == 0) {
            throw new InvalidInputException("training set has " + trainSet.size() + " clips, fewer than one step of "
                    + clipsPerBatch + " x " + iterSize);
        }
        Path ckpt = outDir == null ? null : outDir.resolve(CHECKPOINT);
        // seeds the engine's generator: initial weights (and dropout masks) follow from the run's seed
        manager.getEngine().setRandomSeed((int) (seed ^ (seed >>> 32)));
        net = spec.buildInitialized(manager);
        if (initialWeights != null && !(resume && ckpt != null && Files.isRegularFile(ckpt))) {
            loadInitialWeights(manager);
        }
        ClipSgd sgd = new ClipSgd(net, manager, momentum, weightDecay, clipNorm);
        // WS once per update where it runs on the host (MXNet): W_hat computed once, its gradient carried to the
        // weights after the update's micro-batches (README, "Weight standardisation once per update")
        HeldWeights held = HeldWeights.of(net);
        boolean holdWs = held.standardizesOnHost();
        Set<Parameter> heldWeights = holdWs ? Set.copyOf(held.weights()) : Set.of();
        int startEpoch = 0;
        int startStep = 0;
        long step = 0;
        if (resume && ckpt != null && Files.isRegularFile(ckpt)) {
            long[] pos = loadCheckpoint(ckpt, sgd, manager);
            startEpoch = (int) pos[0];
            startStep = (int) pos[1];
            step = pos[2];
            say(String.format(Locale.ROOT, "resumed from %s at epoch %d, step %d", ckpt, startEpoch + 1, step));
        }
        CsvLog log = null;
        if (outDir != null) {
            Files.createDirectories(outDir);
            Path logFile = outDir.resolve("train_log.csv");
            // on resume, rows of steps after the checkpoint (an interrupted run logged them) are dropped
            log = step > 0 ? CsvLog.resume(logFile, step + 1, LOG_COLUMNS) : CsvLog.create(logFile, LOG_COLUMNS);
            if (step == 0 || !Files.exists(outDir.resolve("eval_log.csv"))) {
                AtomicFiles.writeString(outDir.resolve("eval_log.csv"), "epoch,step,top1,top5,mean_class_accuracy\n");
            }
        }
        Shape clip = trainSet.clipShape();
        int clipLen = Math.toIntExact(clip.size());
        int classes = spec.classes().size();
        ExecutorService loader = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "video-train-loader");
            t.setDaemon(true);
            return t;
        });
        long t0 = System.nanoTime();
        final long firstStep = step;
        transients = new TransientArrays(manager);
        double firstEpochLoss = Double.NaN;
        double lastEpochLoss = Double.NaN;
        TopKAccuracy lastEval = null;
        try {
            for (int epoch = startEpoch; epoch < epochs && step < maxSteps; epoch++) {
                trainSet.setEpoch(epoch);
                int[] perm = permutation(Math.toIntExact(trainSet.size()), seed, epoch);
                float lr = schedule.lrAt(epoch);
                BcnRates.set(net, lr); // BCN's estimates move at the learning rate (no-op without BCN layers)
                rateListener.accept(lr);
                double lossSum = 0;
                int lossCount = 0;
                int first = epoch == startEpoch ? startStep : 0;
                final int ep = epoch;
                CompletableFuture<float[]> next = null;
                int micro = first * iterSize;
                int microEnd = stepsPerEpoch * iterSize;
                if (micro < microEnd) {
                    final int m0 = micro;
                    next = CompletableFuture.supplyAsync(() -> load(perm, m0, ep, clipLen), loader);
                }
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
                    double stepLoss = 0;
                    int correct = 0;
                    if (holdWs) {
                        held.hold();
                    }
                    boolean complete = false;
                    try {
                        for (int k = 0; k < iterSize; k++, micro++) {
                            float[] x = next.join();
                            if (micro + 1 < microEnd) {
                                final int mn = micro + 1;
                                next = CompletableFuture.supplyAsync(() -> load(perm, mn, ep, clipLen), loader);
                            }
                            int[] labels = new int[clipsPerBatch];
                            float[] oneHot = new float[clipsPerBatch * classes];
                            for (int i = 0; i < clipsPerBatch; i++) {
                                labels[i] = trainSet.label(perm[micro * clipsPerBatch + i]);
                                oneHot[i * classes + labels[i]] = 1f;
                            }
                            MicroBatchStep.Result r = MicroBatchStep.run(net, manager, x,
                                    new Shape(clipsPerBatch).addAll(clip), oneHot, classes, 1f / iterSize);
                            sgd.accumulate(heldWeights);
                            if (k == 0) {
                                held.accumulateFromNextBackward();
                            }
                            stepLoss += r.loss() / iterSize;
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
                    if (sweep) {
                        transients.sweep();
                    }
                    step++;
                    lossSum += stepLoss;
                    lossCount++;
                    double secs = (System.nanoTime() - ts) / 1e9;
                    if (log != null) {
                        log.row(step, epoch + 1, lr, stepLoss, (double) correct / (clipsPerBatch * iterSize),
                                sgd.lastGradNorm(), secs);
                    }
                    if (bar != null) {
                        bar.set("loss", "%.4f", stepLoss).set("mean", "%.4f", lossSum / lossCount)
                                .set("lr", "%.3g", lr).update(s + 1);
                    }
                    done = s + 1;
                    if (ckpt != null && checkpointEvery > 0 && step % checkpointEvery == 0) {
                        saveCheckpoint(ckpt, sgd, epoch, done, step);
                    }
                }
                if (bar != null) {
                    bar.finish();
                }
                double epochLoss = lossCount == 0 ? Double.NaN : lossSum / lossCount;
                if (epoch == startEpoch) {
                    firstEpochLoss = epochLoss;
                }
                lastEpochLoss = epochLoss;
                if (ckpt != null) {
                    // a run stopped by maxSteps mid-epoch resumes inside that epoch
                    boolean epochDone = done == stepsPerEpoch;
                    saveCheckpoint(ckpt, sgd, epochDone ? epoch + 1 : epoch, epochDone ? 0 : done, step);
                }
                boolean last = epoch == epochs - 1 || step >= maxSteps;
                if (valSet != null && (last || (evalEvery > 0 && (epoch + 1) % evalEvery == 0))) {
                    lastEval = VideoEvaluator.evaluate(net, manager, valSet, clipsPerBatch, null);
                    say(String.format(Locale.ROOT, "epoch %d: train loss %.4f, validation %s", epoch + 1, epochLoss,
                            lastEval.lines(false).get(0)));
                    if (outDir != null) {
                        appendLine(outDir.resolve("eval_log.csv"), String.format(Locale.ROOT, "%d,%d,%.6f,%.6f,%.6f",
                                epoch + 1, step, lastEval.top1(), lastEval.topK(), lastEval.meanClassAccuracy()));
                    }
                } else {
                    say(String.format(Locale.ROOT, "epoch %d: train loss %.4f", epoch + 1, epochLoss));
                }
            }
        } finally {
            loader.shutdownNow();
            if (log != null) {
                log.close();
            }
        }
        if (outDir != null) {
            spec.save(outDir, net);
        }
        return new TrainResult(step, lastEpochLoss, firstEpochLoss, lastEval, (System.nanoTime() - t0) / 1e9);
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

    private float[] load(int[] perm, int micro, int epoch, int clipLen) {
        float[] x = new float[clipsPerBatch * clipLen];
        IntStream.range(0, clipsPerBatch).parallel().forEach(i -> System.arraycopy(
                trainSet.sample(perm[micro * clipsPerBatch + i], epoch), 0, x, i * clipLen, clipLen));
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

    private void saveCheckpoint(Path file, ClipSgd sgd, int epoch, int stepInEpoch, long step) throws IOException {
        AtomicFiles.write(file, raw -> {
            DataOutputStream out = new DataOutputStream(new BufferedOutputStream(raw));
            out.writeUTF(MAGIC);
            out.writeUTF(net.toString());
            out.writeInt(epoch);
            out.writeInt(stepInEpoch);
            out.writeLong(step);
            net.saveParameters(out);
            sgd.save(out);
            out.flush();
        });
    }

    private long[] loadCheckpoint(Path file, ClipSgd sgd, NDManager manager) throws IOException {
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(file))) {
            DataInputStream in = new DataInputStream(raw);
            String magic = in.readUTF();
            if (!MAGIC.equals(magic) && !MAGIC_V1.equals(magic)) {
                throw new InvalidInputException(file + ": not a wsbcn TSM checkpoint");
            }
            String described = in.readUTF();
            if (!described.equals(net.toString())) {
                throw new InvalidInputException(file + ": checkpoint is for " + described + ", this run builds " + net);
            }
            long[] pos = {in.readInt(), in.readInt(), in.readLong()};
            net.loadParameters(manager, in);
            // loading replaces the parameter arrays; the new ones need gradients attached again
            for (ai.djl.util.Pair<String, ai.djl.nn.Parameter> p : net.getParameters()) {
                if (p.getValue().requiresGradient()) {
                    p.getValue().getArray().setRequiresGradient(true);
                }
            }
            try {
                sgd.load(in, manager, MAGIC.equals(magic));
            } catch (IOException e) {
                throw new InvalidInputException(file + ": optimizer state: " + e.getMessage(), e);
            }
            return pos;
        } catch (MalformedModelException e) {
            throw new InvalidInputException(file + ": cannot load checkpoint parameters (" + e.getMessage() + ")", e);
        }
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
