package ai.wsbcn.detection.box;

import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;

/**
 * Host non-maximum suppression with torchvision's exact keep lists: boxes visited by decreasing score (stable for
 * ties), a box is suppressed when its IoU with a kept box is strictly greater than the threshold, IoU in float32
 * without the +1 convention. Keep lists are sorted by decreasing score.
 */
public final class Nms {

    /** torchvision switches batched NMS from the coordinate-offset trick to per-class loops above this many floats. */
    private static final int OFFSET_TRICK_MAX_ELEMENTS = 4000;

    private Nms() {}

    /** Indices of the boxes kept, by decreasing score. */
    public static int[] nms(float[] boxes, float[] scores, float iouThreshold) {
        int n = Boxes.count(boxes);
        if (scores.length != n) {
            throw new IllegalArgumentException("nms: " + n + " boxes but " + scores.length + " scores");
        }
        int[] order = sortByScoreDesc(scores, IntStream.range(0, n).toArray());
        return suppress(boxes, order, iouThreshold);
    }

    /**
     * NMS within each group (class) independently; the merged keep list sorted by decreasing score. Like
     * torchvision, small inputs (n*4 <= 4000) shift each group's boxes by {@code group * (max coordinate + 1)} and
     * run one NMS (so the float rounding of the shifted coordinates is reproduced), larger ones loop over groups.
     */
    public static int[] batchedNms(float[] boxes, float[] scores, int[] groups, float iouThreshold) {
        int n = Boxes.count(boxes);
        if (scores.length != n || groups.length != n) {
            throw new IllegalArgumentException("batchedNms: " + n + " boxes, " + scores.length + " scores, "
                    + groups.length + " groups");
        }
        if (n == 0) {
            return new int[0];
        }
        if (boxes.length <= OFFSET_TRICK_MAX_ELEMENTS) {
            float max = Float.NEGATIVE_INFINITY;
            for (float v : boxes) {
                max = Math.max(max, v);
            }
            float[] shifted = new float[boxes.length];
            for (int i = 0; i < n; i++) {
                float offset = groups[i] * (max + 1f);
                for (int j = 0; j < 4; j++) {
                    shifted[4 * i + j] = boxes[4 * i + j] + offset;
                }
            }
            return nms(shifted, scores, iouThreshold);
        }
        int[] distinct = Arrays.stream(groups).distinct().toArray();
        boolean[] kept = new boolean[n];
        for (int g : distinct) {
            int[] members = IntStream.range(0, n).filter(i -> groups[i] == g).toArray();
            for (int i : suppress(boxes, sortByScoreDesc(scores, members), iouThreshold)) {
                kept[i] = true;
            }
        }
        return sortByScoreDesc(scores, IntStream.range(0, n).filter(i -> kept[i]).toArray());
    }

    private static int[] sortByScoreDesc(float[] scores, int[] idx) {
        // Boxed sort is stable; compare like torch's descending sort (NaN first would be torch's; not expected here).
        return Arrays.stream(idx).boxed()
                .sorted(Comparator.comparingDouble((Integer i) -> scores[i]).reversed())
                .mapToInt(Integer::intValue).toArray();
    }

    /** Greedy suppression over {@code order} (indices into boxes, already by decreasing score). */
    private static int[] suppress(float[] boxes, int[] order, float iouThreshold) {
        // torchvision receives the threshold as a Python float (double) and compares the float IoU against it in
        // double; the decimal the caller wrote (0.7f -> 0.7) is that double.
        double threshold = Double.parseDouble(Float.toString(iouThreshold));
        int m = order.length;
        float[] x1 = new float[m];
        float[] y1 = new float[m];
        float[] x2 = new float[m];
        float[] y2 = new float[m];
        float[] areas = new float[m];
        for (int k = 0; k < m; k++) {
            int o = 4 * order[k];
            x1[k] = boxes[o];
            y1[k] = boxes[o + 1];
            x2[k] = boxes[o + 2];
            y2[k] = boxes[o + 3];
            areas[k] = (x2[k] - x1[k]) * (y2[k] - y1[k]);
        }
        boolean[] suppressed = new boolean[m];
        int[] keep = new int[m];
        int count = 0;
        for (int i = 0; i < m; i++) {
            if (suppressed[i]) {
                continue;
            }
            keep[count++] = order[i];
            for (int j = i + 1; j < m; j++) {
                if (suppressed[j]) {
                    continue;
                }
                float w = Math.max(0f, Math.min(x2[i], x2[j]) - Math.max(x1[i], x1[j]));
                float h = Math.max(0f, Math.min(y2[i], y2[j]) - Math.max(y1[i], y1[j]));
                float inter = w * h;
                float iou = inter / (areas[i] + areas[j] - inter);
                if (iou > threshold) {
                    suppressed[j] = true;
                }
            }
        }
        return Arrays.copyOf(keep, count);
    }
}
