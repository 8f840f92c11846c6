package ai.wsbcn.detection.coco.eval;

import java.util.List;

/**
 * pycocotools' default detection parameters ({@code Params.setDetParams}): IoU thresholds
 * {@code np.linspace(.5, .95, 10)}, recall thresholds {@code np.linspace(0, 1, 101)} (so {@code iouThrs[8]} is
 * 0.8999999999999999 and several recall thresholds are one ulp above {@code i/100}), maxDets 1/10/100 and the area
 * ranges all/small/medium/large with both bounds inclusive.
 */
public final class CocoEvalParams {

    private static final double[] IOU_THRESHOLDS = NumpyCompat.linspace(.5, 0.95,
            (int) Math.round((0.95 - .5) / .05) + 1);
    private static final double[] RECALL_THRESHOLDS = NumpyCompat.linspace(.0, 1.00,
            (int) Math.round((1.00 - .0) / .01) + 1);
    private static final int[] MAX_DETS = {1, 10, 100};
    private static final double[][] AREA_RANGES = {{0, 1e5 * 1e5}, {0, 32 * 32}, {32 * 32, 96 * 96},
        {96 * 96, 1e5 * 1e5}};
    private static final List<String> AREA_LABELS = List.of("all", "small", "medium", "large");

    private CocoEvalParams() {}

    public static double[] iouThresholds() {
        return IOU_THRESHOLDS.clone();
    }

    public static double[] recallThresholds() {
        return RECALL_THRESHOLDS.clone();
    }

    public static int[] maxDets() {
        return MAX_DETS.clone();
    }

    /** {@code [lo, hi]} of area range {@code a}. */
    public static double[] areaRange(int a) {
        return AREA_RANGES[a].clone();
    }

    public static List<String> areaLabels() {
        return AREA_LABELS;
    }

    static int numIou() {
        return IOU_THRESHOLDS.length;
    }

    static int numRecall() {
        return RECALL_THRESHOLDS.length;
    }

    static int numAreas() {
        return AREA_RANGES.length;
    }

    static int numMaxDets() {
        return MAX_DETS.length;
    }

    static double iou(int t) {
        return IOU_THRESHOLDS[t];
    }

    static double recall(int r) {
        return RECALL_THRESHOLDS[r];
    }

    static int maxDet(int m) {
        return MAX_DETS[m];
    }

    static double areaLo(int a) {
        return AREA_RANGES[a][0];
    }

    static double areaHi(int a) {
        return AREA_RANGES[a][1];
    }
}
