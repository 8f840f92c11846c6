package ai.wsbcn.detection.bench;

import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import ai.wsbcn.detection.data.synthetic.SyntheticImage;
import ai.wsbcn.detection.data.synthetic.SyntheticShapes;
import ai.wsbcn.detection.model.DetectorConfig;
import ai.wsbcn.detection.model.MaskRcnn;
import ai.wsbcn.detection.transforms.DetectionSample;
import ai.wsbcn.detection.transforms.ImageBatch;
import ai.wsbcn.detection.transforms.TargetInstances;
import ai.wsbcn.norm.train.LrSchedule;
import ai.wsbcn.norm.train.MicroBatchTrainer;
import ai.wsbcn.norm.train.Sgd;
import ai.wsbcn.norm.train.TrainableGradients;
import ai.wsbcn.util.EngineKernels;
import ai.wsbcn.util.NativeAllocator;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Training-step and inference speed of Mask R-CNN per norm, image size and images per batch, on synthetic shapes
 * images (random weights; speed does not depend on them). Peak memory is the process's VmHWM (resident set high
 * water mark), which only grows, so rows are ordered small to large.
 */
public final class DetectionBenchmark {

    public record Row(String norm, int size, int images, double medianStepSeconds, double inferenceImagesPerSecond,
            long peakRssBytes) {}

    private DetectionBenchmark() {}

    public static Row run(NDManager root, String arch, String norm, int size, int images, int steps, int warmup,
            PrintStream log) {
        int maxSize = size >= 800 ? 1333 : size;
        DetectorConfig dc = DetectorConfig.builder().setArch(arch).setNorm(norm).setNumClasses(80)
                .optFreezeAt(norm.startsWith("frozen") ? 2 : 0).optMinSizes(size).optMaxSize(maxSize).build();
        SyntheticShapes shapes = SyntheticShapes.builder().optImageSize(size * 4 / 3 > maxSize ? maxSize
                : size * 4 / 3, size).optImagesPerSplit(images, 1).optSeed(1).build();
        List<DetectionSample> samples = new ArrayList<>();
        for (int i = 0; i < images; i++) {
            SyntheticImage im = shapes.render(SyntheticShapes.Split.TRAIN, i);
            samples.add(toSample(i, im));
        }
        try (NDManager m = root.newSubManager()) {
            MaskRcnn model = MaskRcnn.build(dc);
            int pad = (int) Math.ceil(size / 32.0) * 32;
            model.initialize(m, pad, pad);
            TrainableGradients.attach(model);
            Sgd sgd = Sgd.builder().setSchedule(LrSchedule.step(1e-4f, steps + warmup, 0.1f)).optMomentum(0.9f)
                    .optWeightDecay(1e-4f).build();
            MicroBatchTrainer trainer = MicroBatchTrainer.builder().setModel(model).setOptimizer(sgd).build();
            ParameterStore ps = new ParameterStore(m, false);
            double[] times = new double[steps];
            for (int s = 0; s < warmup + steps; s++) {
                Random rng = new Random(s);
                long t0 = System.nanoTime();
                try (NDManager sm = m.newSubManager()) {
                    trainer.step(k -> {
                        List<TargetInstances> targets = new ArrayList<>();
                        ImageBatch b = model.transform().batch(sm, samples, rng, targets);
                        return MaskRcnn.total(model.losses(ps, b, targets, rng));
                    });
                }
                if (s >= warmup) {
                    times[s - warmup] = (System.nanoTime() - t0) / 1e9;
                }
                if (log != null) {
                    log.printf("  %s %dpx x%d step %d: %.2f s%n", norm, size, images, s + 1,
                            (System.nanoTime() - t0) / 1e9);
                }
            }
            Arrays.sort(times);
            double median = times.length == 0 ? Double.NaN : times.length % 2 == 1 ? times[times.length / 2]
                    : (times[times.length / 2 - 1] + times[times.length / 2]) / 2;
            long t0 = System.nanoTime();
            int inf = Math.max(1, Math.min(3, steps));
            for (int i = 0; i < inf; i++) {
                try (NDManager sm = m.newSubManager()) {
                    ImageBatch b = model.transform().batch(sm, samples.subList(0, 1), null, null);
                    model.detect(ps, b);
                }
            }
            double ips = inf / ((System.nanoTime() - t0) / 1e9);
            return new Row(norm, size, images, median, ips, peakRss());
        }
    }

    /** A synthetic image as a detection sample (BGR -> RGB, RLE masks -> row-major bytes, label = kind + 1). */
    static DetectionSample toSample(long id, SyntheticImage im) {
        int n = im.instances().size();
        float[] boxes = new float[4 * n];
        int[] labels = new int[n];
        byte[][] masks = new byte[n][];
        for (int k = 0; k < n; k++) {
            var inst = im.instances().get(k);
            double[] xywh = inst.visibleMask().toBbox();
            boxes[4 * k] = (float) xywh[0];
            boxes[4 * k + 1] = (float) xywh[1];
            boxes[4 * k + 2] = (float) (xywh[0] + xywh[2]);
            boxes[4 * k + 3] = (float) (xywh[1] + xywh[3]);
            labels[k] = inst.kind().ordinal() + 1;
            masks[k] = inst.visibleMask().decodeRowMajor();
        }
        byte[] rgb = new byte[im.bgr().length];
        for (int p = 0; p < rgb.length; p += 3) {
            rgb[p] = im.bgr()[p + 2];
            rgb[p + 1] = im.bgr()[p + 1];
            rgb[p + 2] = im.bgr()[p];
        }
        return new DetectionSample(id, rgb, im.height(), im.width(),
                new TargetInstances(boxes, labels, masks, im.height(), im.width()));
    }

    /** VmHWM of this process in bytes (0 where /proc is unavailable). */
    public static long peakRss() {
        try {
            for (String l : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (l.startsWith("VmHWM:")) {
                    return Long.parseLong(l.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux
        }
        return 0;
    }

    public static String markdown(List<Row> rows, String engine, String arch) {
        StringBuilder sb = new StringBuilder();
        sb.append("Mask R-CNN ").append(arch).append("-FPN, engine ").append(EngineKernels.label(engine)).append(", ")
                .append(NativeAllocator.describe()).append('\n');
        sb.append("| norm | short side | images | median s/step | inference img/s | peak RSS GiB |\n");
        sb.append("|---|---|---|---|---|---|\n");
        for (Row r : rows) {
            sb.append(String.format("| %s | %d | %d | %.2f | %.2f | %.1f |%n", r.norm(), r.size(), r.images(),
                    r.medianStepSeconds(), r.inferenceImagesPerSecond(), r.peakRssBytes() / (double) (1L << 30)));
        }
        return sb.toString();
    }
}
