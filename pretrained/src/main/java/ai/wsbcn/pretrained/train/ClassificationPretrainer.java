package ai.wsbcn.pretrained.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.ParameterStore;
import ai.djl.training.loss.Loss;
import ai.wsbcn.norm.NormSpec;
import ai.wsbcn.norm.train.LrSchedule;
import ai.wsbcn.norm.train.MicroBatchTrainer;
import ai.wsbcn.norm.train.Sgd;
import ai.wsbcn.norm.train.TrainingCheckpoint;
import ai.wsbcn.pretrained.backbone.ResNet;
import ai.wsbcn.pretrained.backbone.ResNets;
import ai.wsbcn.pretrained.data.ClassificationSource;
import ai.wsbcn.report.CsvLog;
import ai.wsbcn.report.LossCurvePlot;
import ai.wsbcn.report.ProgressBar;
import ai.wsbcn.util.AtomicFiles;
import ai.wsbcn.util.InvalidInputException;
import com.google.gson.GsonBuilder;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;

/**
 * Micro-batch classification training (issue 3, {@code wsbcn pretrain}) on a {@link ClassificationSource} (in memory,
 * or an image folder decoded per batch): B samples per
 * micro-batch, N micro-batches per update (loss averaged over the B*N samples), SGD with momentum and weight decay on
 * ndim > 1 parameters only, cosine or step schedule with optional linear warmup, BCN rates = the current learning
 * rate. The sample order is a per-epoch permutation drawn from (seed, epoch), so a resumed run sees exactly the data
 * the uninterrupted one would. Writes {@code train_log.csv} (step, lr, loss), {@code checkpoint.bin} (every K updates and
 * at the end, atomically) and {@code summary.json} (with {@code test_error}, top-1 in percent).
 */
public final class ClassificationPretrainer {

    /** As every trainer's {@code train_log.csv}: the step (updates done, from 1), then the rate, then the loss. */
    private static final String[] COLUMNS = {"step", "lr", "loss"};
    private static final String LOG = "train_log.csv";

    private final String arch;
    private final NormSpec norm;
    private final int microBatch;
    private final int iterSize;
    private final long samples;
    private final float lr;
    private final float momentum;
    private final float weightDecay;
    private final String schedule;
    private final long warmup;
    private final long seed;
    private final Path outDir;
    private final boolean resume;
    private final long checkpointEvery;
    private final PrintStream console;
    private final long stopAfter;

    private ClassificationPretrainer(Builder b) {
        arch = b.arch;
        norm = b.norm;
        microBatch = b.microBatch;
        iterSize = b.iterSize;
        samples = b.samples;
        lr = b.lr;
        momentum = b.momentum;
        weightDecay = b.weightDecay;
        schedule = b.schedule;
        warmup = b.warmup;
        seed = b.seed;
        outDir = b.outDir;
        resume = b.resume;
        checkpointEvery = b.checkpointEvery;
        console = b.console;
        stopAfter = b.stopAfter;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The seed of the run (initialisation, sample order, augmentation draws). */
    public long seed() {
        return seed;
    }

    /** Optimizer updates of the run: samples / (B * N), at least 1. */
    public long updates() {
        return Math.max(1, samples / ((long) microBatch * iterSize));
    }

    /** Trains on {@code train}, evaluates on {@code test}, writes the outputs; arrays live in {@code manager}. */
    public PretrainResult train(NDManager manager, ClassificationSource train, ClassificationSource test)
            throws IOException {
        Files.createDirectories(outDir);
        long total = updates();
        ResNet net = ResNets.builder().setArch(arch).setNorm(norm).optNumClasses(train.numClasses()).build();
        Engine.getEngine(manager.getEngine().getEngineName()).setRandomSeed((int) seed);
        long[] dims = train.imageShape().getShape();
        long[] input = new long[dims.length + 1];
        input[0] = microBatch;
        System.arraycopy(dims, 0, input, 1, dims.length);
        net.initialize(manager, DataType.FLOAT32, new ai.djl.ndarray.types.Shape(input));
        LrSchedule lrs = "step".equals(schedule)
                ? LrSchedule.step(lr, total, 0.1f, total / 2, total * 3 / 4)
                : LrSchedule.cosine(lr, total);
        if (warmup > 0) {
            lrs = lrs.withWarmup(warmup, 0.1f);
        }
        Sgd sgd = Sgd.builder().setSchedule(lrs).optMomentum(momentum).optWeightDecay(weightDecay).build();
        Path checkpoint = outDir.resolve("checkpoint.bin");
        long start = 0;
        if (resume && Files.exists(checkpoint)) {
            Map<String, String> meta = TrainingCheckpoint.load(checkpoint, net, sgd, manager);
            if (!meta.getOrDefault("config", "").equals(configKey())) {
                throw new InvalidInputException(checkpoint + ": was written by a run with other settings ("
                        + meta.get("config") + "), not " + configKey());
            }
            start = sgd.updateIndex();
            if (start >= total) {
                // nothing to train: the summary of the run that finished stays as it was written
                console.printf(Locale.ROOT, "%s: the run is complete (update %d of %d); evaluating only%n",
                        checkpoint, start, total);
                double[] errors = evaluate(manager, net, new ParameterStore(manager, false), test);
                return new PretrainResult(errors[0], errors[1], total, 0, 0, Float.NaN);
            }
            console.printf(Locale.ROOT, "resuming at update %d of %d from %s%n", start, total, checkpoint);
        }
        MicroBatchTrainer trainer = MicroBatchTrainer.builder().setModel(net).setOptimizer(sgd)
                .optIterSize(iterSize).build();
        Loss ce = Loss.softmaxCrossEntropyLoss();
        ParameterStore ps = new ParameterStore(manager, false);
        SampleOrder order = new SampleOrder(train.size(), seed);
        ProgressBar bar = new ProgressBar("pretrain " + arch + " " + norm, total, console,
                System.console() != null, Math.max(1, total / 20)).resumeAt(start);
        float lastLoss = Float.NaN;
        long microSteps = 0;
        long t0 = System.nanoTime();
        int[] idx = new int[microBatch];
        try (CsvLog log = start > 0 ? CsvLog.resume(outDir.resolve(LOG), start + 1, COLUMNS)
                : CsvLog.create(outDir.resolve(LOG), COLUMNS)) {
            long end = Math.min(total, stopAfter);
            for (long u = start; u < end; u++) {
                float rate = sgd.currentLearningRate();
                final long update = u;
                try (NDManager step = manager.newSubManager()) {
                    lastLoss = trainer.step(k -> {
                        long first = (update * iterSize + k) * microBatch;
                        for (int j = 0; j < microBatch; j++) {
                            idx[j] = order.sample(first + j);
                        }
                        NDList batch = train.batch(step, idx, 0, microBatch, order.epochOf(first));
                        NDArray logits = net.forward(ps, new NDList(batch.get(0)), true).singletonOrThrow();
                        return ce.evaluate(new NDList(batch.get(1)), new NDList(logits));
                    });
                }
                microSteps += iterSize;
                log.row(u + 1, rate, lastLoss);
                bar.set("loss", "%.3f", lastLoss).set("lr", "%.4f", rate).update(u + 1);
                if (!Float.isFinite(lastLoss)) {
                    throw new IllegalStateException("loss became " + lastLoss + " at update " + u
                            + "; lower --lr");
                }
                if (checkpointEvery > 0 && (u + 1) % checkpointEvery == 0 && u + 1 < total) {
                    TrainingCheckpoint.save(checkpoint, net, sgd, meta(u + 1));
                }
            }
        }
        bar.finish();
        LossCurvePlot.plotLog(outDir.resolve(LOG), outDir.resolve("loss_curve.png"),
                "pretraining loss (" + arch + " " + norm + ")", List.of("loss"), 800, 450);
        double seconds = (System.nanoTime() - t0) / 1e9;
        TrainingCheckpoint.save(checkpoint, net, sgd, meta(sgd.updateIndex()));
        if (sgd.updateIndex() < total) {
            console.printf(Locale.ROOT, "stopped at update %d of %d; continue with --resume%n", sgd.updateIndex(),
                    total);
            return new PretrainResult(Double.NaN, Double.NaN, sgd.updateIndex(), seconds,
                    microSteps == 0 ? 0 : seconds * 1000 / microSteps, lastLoss);
        }
        double[] errors = evaluate(manager, net, ps, test);
        PretrainResult result = new PretrainResult(errors[0], errors[1], total, seconds,
                microSteps == 0 ? 0 : seconds * 1000 / microSteps, lastLoss);
        writeSummary(result, manager.getEngine().getEngineName());
        return result;
    }

    /** Top-1 and top-5 error in percent, inference mode, batches of 256. */
    static double[] evaluate(NDManager manager, ResNet net, ParameterStore ps, ClassificationSource test) {
        long wrong1 = 0;
        long wrong5 = 0;
        int n = test.size();
        int[] all = IntStream.range(0, n).toArray();
        for (int s = 0; s < n; s += 256) {
            int count = Math.min(256, n - s);
            try (NDManager sub = manager.newSubManager()) {
                NDList batch = test.batch(sub, all, s, count, 0);
                NDArray logits = net.forward(ps, new NDList(batch.get(0)), false).singletonOrThrow();
                float[] scores = logits.toFloatArray();
                int classes = (int) logits.getShape().get(1);
                for (int i = 0; i < count; i++) {
                    int higher = ScoreRanks.rankOf(scores, i * classes, classes, test.label(s + i));
                    wrong1 += higher >= 1 ? 1 : 0;
                    wrong5 += higher >= 5 ? 1 : 0;
                }
            }
        }
        return new double[] {100.0 * wrong1 / n, 100.0 * wrong5 / n};
    }

    private String configKey() {
        return String.format(Locale.ROOT, "%s %s B=%d N=%d samples=%d lr=%s m=%s wd=%s %s warmup=%d seed=%d", arch,
                norm, microBatch, iterSize, samples, lr, momentum, weightDecay, schedule, warmup, seed);
    }

    private Map<String, String> meta(long update) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("config", configKey());
        m.put("update", Long.toString(update));
        return m;
    }

    private void writeSummary(PretrainResult r, String engine) throws IOException {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("test_error", r.top1Error());
        s.put("test_top5_error", r.top5Error());
        s.put("arch", arch);
        s.put("norm", norm.toString());
        s.put("micro_batch", microBatch);
        s.put("iter_size", iterSize);
        s.put("samples", samples);
        s.put("updates", r.updates());
        s.put("lr", lr);
        s.put("momentum", momentum);
        s.put("weight_decay", weightDecay);
        s.put("schedule", schedule);
        s.put("warmup", warmup);
        s.put("seed", seed);
        s.put("engine", engine);
        s.put("seconds", r.seconds());
        s.put("ms_per_micro_step", r.msPerMicroStep());
        s.put("last_loss", r.lastLoss());
        AtomicFiles.writeString(outDir.resolve("summary.json"),
                new GsonBuilder().setPrettyPrinting().create().toJson(s) + "\n");
    }

    /** Sample k of the run: the k % n-th entry of epoch k / n's permutation, drawn from (seed, epoch). */
    static final class SampleOrder {
        private final int n;
        private final long seed;
        private long epoch = -1;
        private int[] perm;

        SampleOrder(int n, long seed) {
            this.n = n;
            this.seed = seed;
        }

        /** The epoch that sample k of the run belongs to (selects its augmentation draws). */
        int epochOf(long k) {
            return Math.toIntExact(k / n);
        }

        int sample(long k) {
            long e = k / n;
            if (e != epoch) {
                perm = permutation(e);
                epoch = e;
            }
            return perm[(int) (k % n)];
        }

        private int[] permutation(long e) {
            int[] p = new int[n];
            for (int i = 0; i < n; i++) {
                p[i] = i;
            }
            Random r = new Random(seed * 1_000_003L + e);
            for (int i = n - 1; i > 0; i--) {
                int j = r.nextInt(i + 1);
                int t = p[i];
                p[i] = p[j];
                p[j] = t;
            }
            return p;
        }
    }

    /** Settings of a run; {@code setArch}, {@code setNorm}, {@code setOutDir} required. */
    public static final class Builder {
        private String arch = "resnet8";
        private NormSpec norm;
        private int microBatch = 1;
        private int iterSize = 32;
        private long samples = 28_800;
        private float lr = 0.1f;
        private float momentum = 0.9f;
        private float weightDecay = 5e-4f;
        private String schedule = "cosine";
        private long warmup;
        private long seed;
        private Path outDir;
        private boolean resume;
        private long checkpointEvery;
        private PrintStream console = System.err;
        private long stopAfter = Long.MAX_VALUE;

        private Builder() {}

        public Builder setArch(String arch) {
            this.arch = arch;
            return this;
        }

        public Builder setNorm(NormSpec norm) {
            this.norm = norm;
            return this;
        }

        public Builder setOutDir(Path outDir) {
            this.outDir = outDir;
            return this;
        }

        public Builder optMicroBatch(int microBatch) {
            this.microBatch = microBatch;
            return this;
        }

        public Builder optIterSize(int iterSize) {
            this.iterSize = iterSize;
            return this;
        }

        /** Training budget in samples; updates = samples / (B * N). */
        public Builder optSamples(long samples) {
            this.samples = samples;
            return this;
        }

        public Builder optLr(float lr) {
            this.lr = lr;
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

        /** {@code cosine} (default) or {@code step} (x0.1 at 1/2 and 3/4 of the updates). */
        public Builder optSchedule(String schedule) {
            this.schedule = schedule;
            return this;
        }

        /** Linear warmup over this many updates from 0.1 x lr. */
        public Builder optWarmup(long warmup) {
            this.warmup = warmup;
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

        /** Also checkpoint every K updates (0: only at the end). */
        public Builder optCheckpointEvery(long updates) {
            this.checkpointEvery = updates;
            return this;
        }

        /** Stops (with a checkpoint, without evaluating) once this many updates are done, e.g. to split a run. */
        public Builder optStopAfter(long updates) {
            this.stopAfter = updates;
            return this;
        }

        public Builder optConsole(PrintStream console) {
            this.console = console;
            return this;
        }

        public ClassificationPretrainer build() {
            if (norm == null || outDir == null || arch == null) {
                throw new IllegalStateException("ClassificationPretrainer needs setArch, setNorm and setOutDir");
            }
            if (microBatch <= 0 || iterSize <= 0 || samples <= 0) {
                throw new InvalidInputException("--micro-batch, --iter-size and --samples must be positive, got "
                        + microBatch + ", " + iterSize + ", " + samples);
            }
            if (!"cosine".equals(schedule) && !"step".equals(schedule)) {
                throw new InvalidInputException("--schedule must be cosine or step, got '" + schedule + "'");
            }
            if (!(lr > 0f) || momentum < 0f || weightDecay < 0f || warmup < 0) {
                throw new InvalidInputException("--lr must be positive and --momentum, --wd, --warmup not negative");
            }
            return new ClassificationPretrainer(this);
        }
    }
}
