package ai.wsbcn.segmentation.bench;

import ai.djl.ndarray.NDManager;
import ai.wsbcn.segmentation.data.SegmentationSample;
import ai.wsbcn.segmentation.data.synthetic.SyntheticVoc;
import ai.wsbcn.norm.ConvNorm;
import ai.wsbcn.segmentation.model.DeepLabV3;
import ai.wsbcn.segmentation.model.ModelSpec;
import ai.wsbcn.segmentation.train.SegmentationTrainer;
import ai.wsbcn.segmentation.train.TrainConfig;
import ai.wsbcn.segmentation.train.TrainResult;
import ai.wsbcn.segmentation.train.TrainingSet;
import ai.wsbcn.util.EngineKernels;
import ai.wsbcn.util.NativeAllocator;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Seconds per training step (forward, backward, SGD update; data prepared on a background thread) of DeepLabV3 at
 * {@code crop x crop} for each norm and micro-batch size, with the largest resident memory seen during each case.
 * Each case trains a fresh network for {@code warmup + steps} steps and reports the median of the last {@code steps}
 * (the median, because other jobs on a shared machine inflate single steps); the load average is printed with it.
 */
public final class SegmentationBenchmark {

    /** One measured case. */
    public record Row(String norm, int batch, double secondsPerStep, double fastestStep, long peakRssMb) {}

    private final List<String> norms;
    private final List<Integer> batches;
    private final int crop;
    private final int steps;
    private final int warmup;
    private final String backbone;
    private final int outputStride;
    private final Path workDir;

    public SegmentationBenchmark(List<String> norms, List<Integer> batches, int crop, int steps, int warmup,
                                 String backbone, int outputStride, Path workDir) {
        this.norms = List.copyOf(norms);
        this.batches = List.copyOf(batches);
        this.crop = crop;
        this.steps = steps;
        this.warmup = warmup;
        this.backbone = backbone;
        this.outputStride = outputStride;
        this.workDir = workDir;
    }

    public List<Row> run(NDManager manager, PrintStream out) throws IOException {
        SyntheticVoc gen = SyntheticVoc.builder().optImageSize(crop, crop).optSeed(3).build();
        List<SegmentationSample> data = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            data.add(gen.render(SyntheticVoc.Split.TRAIN, i));
        }
        out.printf(Locale.ROOT, "DeepLabV3 %s OS%d, 21 classes, crop %dx%d, %d timed steps after %d warm-up, engine %s,"
                + " %s, %d cores%n", backbone, outputStride, crop, crop, steps, warmup,
                EngineKernels.label(manager.getEngine().getEngineName()), NativeAllocator.describe(),
                Runtime.getRuntime().availableProcessors());
        out.printf(Locale.ROOT, "load average at start: %s%n", loadAverage());
        out.printf(Locale.ROOT, "%-10s %6s %14s %14s %14s%n", "norm", "batch", "median s/step", "fastest step",
                "max RSS (MB)");
        List<Row> rows = new ArrayList<>();
        for (String norm : norms) {
            for (int batch : batches) {
                ModelSpec spec = ModelSpec.of(norm, backbone, outputStride, 21, List.of());
                try (NDManager sub = manager.newSubManager()) {
                    DeepLabV3 model = spec.build(ConvNorm::parse);
                    Path dir = Files.createDirectories(workDir.resolve(norm.replace('+', '_') + "_b" + batch));
                    TrainConfig.Builder cfg = TrainConfig.builder().setOutDir(dir).optBatch(batch).optCrop(crop)
                            .optLr(0.001f).optQuiet(true).optCheckpointEvery(Integer.MAX_VALUE);
                    RssSampler rss = new RssSampler();
                    TrainResult r;
                    try {
                        r = new SegmentationTrainer(model, spec, TrainingSet.of(data), cfg.optIters(warmup + steps)
                                .optLogEvery(warmup + steps).build(), sub, null).train();
                    } finally {
                        rss.stop();
                    }
                    Row row = new Row(norm, batch, r.medianOfLast(steps), r.minOfLast(steps), rss.maxMb());
                    rows.add(row);
                    out.printf(Locale.ROOT, "%-10s %6d %14.2f %14.2f %14d%n", norm, batch, row.secondsPerStep(),
                            row.fastestStep(), row.peakRssMb());
                }
            }
        }
        out.printf(Locale.ROOT, "load average at end: %s%n", loadAverage());
        return rows;
    }

    private static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException | RuntimeException e) {
            return "n/a";
        }
    }

    /**
     * The largest resident set size of this process seen while a case runs (sampled every 20 ms from
     * {@code /proc/self/status}): unlike the process high-water mark it is per case, though memory pools that the
     * engines keep from earlier cases are included.
     */
    private static final class RssSampler {
        private final Thread thread;
        private volatile boolean running = true;
        private volatile long max = rssMb("VmRSS:");

        RssSampler() {
            thread = new Thread(() -> {
                while (running) {
                    max = Math.max(max, rssMb("VmRSS:"));
                    try {
                        Thread.sleep(20);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "rss-sampler");
            thread.setDaemon(true);
            thread.start();
        }

        void stop() {
            running = false;
            thread.interrupt();
        }

        long maxMb() {
            return max;
        }
    }

    /** A memory line of this process's status (Linux), in MB, or -1. */
    static long rssMb(String key) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith(key)) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            // not Linux
        }
        return -1;
    }
}
