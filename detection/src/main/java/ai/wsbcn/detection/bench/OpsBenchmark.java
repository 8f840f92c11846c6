package ai.wsbcn.detection.bench;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.wsbcn.detection.box.Nms;
import ai.wsbcn.detection.model.poolers.MultiScaleRoIAlign;
import ai.wsbcn.detection.ops.DetectionOps;
import ai.wsbcn.detection.ops.MxDetectionOps;
import ai.wsbcn.detection.ops.PortableDetectionOps;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;

/**
 * Times the detection operators on the shapes of Mask R-CNN training at 800x1088: RoIAlign forward + backward of
 * 512 RoIs x 256 channels x 7x7 at sampling ratio 2 on one stride-4 level (200x272); the same through the 4-level
 * MultiScaleRoIAlign (boxes of 16..512 px), and 128 RoIs at 14x14 (the mask head's positives); for MXNet's native
 * operator and the portable implementation on every engine given; and host NMS of 2000 and 4000 boxes at IoU 0.7
 * (the RPN's per-image NMS input). Medians.
 */
public final class OpsBenchmark {

    private static final int ROIS = 512;
    private static final int CHANNELS = 256;
    private static final int IMAGE_H = 800;
    private static final int IMAGE_W = 1088;

    private final int repeats;
    private final int warmup;

    public OpsBenchmark(int repeats, int warmup) {
        this.repeats = repeats;
        this.warmup = warmup;
    }

    /** Random boxes inside the image with sides uniform in [minSide, maxSide]. */
    static float[] randomBoxes(Random rng, int n, float minSide, float maxSide) {
        float[] b = new float[4 * n];
        for (int i = 0; i < n; i++) {
            float w = minSide + rng.nextFloat() * (maxSide - minSide);
            float h = minSide + rng.nextFloat() * (maxSide - minSide);
            float x = rng.nextFloat() * Math.max(IMAGE_W - w, 1);
            float y = rng.nextFloat() * Math.max(IMAGE_H - h, 1);
            b[4 * i] = x;
            b[4 * i + 1] = y;
            b[4 * i + 2] = x + w;
            b[4 * i + 3] = y + h;
        }
        return b;
    }

    /** Median ms of forward + backward (head: sum of the output) of one RoIAlign call on a stride-4 level. */
    public double timeRoiAlign(NDManager m, DetectionOps ops) {
        Random rng = new Random(7);
        float[] boxes = randomBoxes(rng, ROIS, 32, 112); // the sizes the level mapper sends to P2
        float[] rois = new float[5 * ROIS];
        for (int i = 0; i < ROIS; i++) {
            System.arraycopy(boxes, 4 * i, rois, 5 * i + 1, 4);
        }
        try (NDManager scope = m.newSubManager()) {
            NDArray features = scope.randomNormal(new Shape(1, CHANNELS, IMAGE_H / 4, IMAGE_W / 4));
            NDArray roiArray = scope.create(rois, new Shape(ROIS, 5));
            return median(scope, features, f -> ops.roiAlign(f.get(0), roiArray, 7, 7, 0.25f, 2, false));
        }
    }

    /**
     * Median ms of forward + backward of MultiScaleRoIAlign (ratio 2) over P2..P5 of one image: {@code rois} boxes
     * of 16..512 px pooled to {@code out} x {@code out} (512 at 7 = box head, 128 at 14 = mask head's positives).
     */
    public double timeMultiScale(NDManager m, DetectionOps ops, int rois, int out) {
        Random rng = new Random(8);
        float[] boxes = randomBoxes(rng, rois, 16, 512);
        MultiScaleRoIAlign pooler = new MultiScaleRoIAlign(out, 2, new int[] {4, 8, 16, 32});
        try (NDManager scope = m.newSubManager()) {
            NDList levels = new NDList();
            for (int s = 4; s <= 32; s *= 2) {
                levels.add(scope.randomNormal(new Shape(1, CHANNELS, IMAGE_H / s, IMAGE_W / s)));
            }
            return median(scope, levels, f -> pooler.apply(ops, f, List.of(boxes)));
        }
    }

    private interface Forward {
        NDArray apply(NDList features);
    }

    private double median(NDManager scope, NDArray features, Forward forward) {
        return median(scope, new NDList(features), forward);
    }

    private double median(NDManager scope, NDList features, Forward forward) {
        String engine = scope.getEngine().getEngineName();
        double[] ms = new double[repeats];
        double[] fwd = new double[repeats];
        for (int i = -warmup; i < repeats; i++) {
            try (NDManager step = scope.newSubManager()) {
                NDList xs = new NDList();
                for (NDArray f : features) {
                    NDArray x = f.duplicate();
                    x.attach(step);
                    x.setRequiresGradient(true);
                    xs.add(x);
                }
                long t0 = System.nanoTime();
                try (GradientCollector gc = Engine.getEngine(engine).newGradientCollector()) {
                    NDArray y = forward.apply(xs);
                    y.reshape(-1).getFloat(0); // forward finished
                    if (i >= 0) {
                        fwd[i] = (System.nanoTime() - t0) / 1e6;
                    }
                    gc.backward(y.sum());
                }
                xs.get(0).getGradient().reshape(-1).getFloat(0); // wait for the asynchronous engine
                if (i >= 0) {
                    ms[i] = (System.nanoTime() - t0) / 1e6;
                }
            }
        }
        Arrays.sort(ms);
        Arrays.sort(fwd);
        lastForwardMs = fwd[repeats / 2];
        return ms[repeats / 2];
    }

    /** Median forward-only ms of the last RoIAlign timing (the forward part of its forward+backward). */
    private double lastForwardMs;

    /** Median ms of host NMS on {@code n} random boxes at IoU 0.7. */
    public double timeNms(int n) {
        Random rng = new Random(9);
        float[] boxes = randomBoxes(rng, n, 16, 400);
        float[] scores = new float[n];
        for (int i = 0; i < n; i++) {
            scores[i] = rng.nextFloat();
        }
        return medianOf(() -> Nms.nms(boxes, scores, 0.7f).length);
    }

    private double medianOf(Supplier<Integer> body) {
        double[] ms = new double[repeats];
        for (int i = -warmup; i < repeats; i++) {
            long t0 = System.nanoTime();
            body.get();
            if (i >= 0) {
                ms[i] = (System.nanoTime() - t0) / 1e6;
            }
        }
        Arrays.sort(ms);
        return ms[repeats / 2];
    }

    /** All rows for the engines given (MXNet's operator only on MXNet); prints a table, returns name -> ms. */
    public Map<String, Double> run(List<String> engines, PrintStream out) {
        Map<String, Double> rows = new LinkedHashMap<>();
        for (String e : engines) {
            try (NDManager m = Engine.getEngine(e).newBaseManager()) {
                List<DetectionOps> impls = new ArrayList<>();
                if ("MXNet".equals(e)) {
                    impls.add(new MxDetectionOps());
                }
                impls.add(new PortableDetectionOps());
                for (DetectionOps ops : impls) {
                    String name = e + " " + (ops instanceof MxDetectionOps ? "mxnet-op" : "portable");
                    rows.put(name + " roi_align 512x256x7x7 P2 fwd+bwd", timeRoiAlign(m, ops));
                    rows.put(name + " roi_align 512x256x7x7 P2 (fwd)", lastForwardMs);
                    rows.put(name + " multiscale 512x256x7x7 P2-P5 fwd+bwd", timeMultiScale(m, ops, ROIS, 7));
                    rows.put(name + " multiscale 512x256x7x7 P2-P5 (fwd)", lastForwardMs);
                    rows.put(name + " multiscale 128x256x14x14 P2-P5 fwd+bwd", timeMultiScale(m, ops, 128, 14));
                    rows.put(name + " multiscale 128x256x14x14 P2-P5 (fwd)", lastForwardMs);
                }
            }
        }
        rows.put("host nms 2000 boxes @0.7", timeNms(2000));
        rows.put("host nms 4000 boxes @0.7", timeNms(4000));
        out.printf(Locale.ROOT, "detection ops, forward+backward (RoIAlign) / host (NMS), median of %d runs%n",
                repeats);
        for (Map.Entry<String, Double> r : rows.entrySet()) {
            out.printf(Locale.ROOT, "%-58s %10.1f ms%n", r.getKey(), r.getValue());
        }
        return rows;
    }

    /** {@code java ... OpsBenchmark [repeats] [warmup] [engines,comma,separated]} (default 5 2 MXNet,PyTorch). */
    public static void main(String[] args) {
        int repeats = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        int warmup = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        List<String> engines = args.length > 2 ? Arrays.asList(args[2].split(",")) : List.of("MXNet", "PyTorch");
        new OpsBenchmark(repeats, warmup).run(engines, System.out);
    }
}
