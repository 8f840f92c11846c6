package ai.wsbcn.detection.box;

import java.util.Arrays;

/**
 * Host helpers for boxes stored as flat {@code float[]} rows {@code x1,y1,x2,y2} in pixels, with torchvision's
 * conventions: width = x2 - x1 (no +1), arithmetic in float32 so results match torchvision bit for bit where the
 * operation order allows.
 */
public final class Boxes {

    private Boxes() {}

    /** Number of rows of a flat box array; rejects arrays whose length is not a multiple of 4. */
    public static int count(float[] boxes) {
        if (boxes.length % 4 != 0) {
            throw new IllegalArgumentException("box array length " + boxes.length + " is not a multiple of 4");
        }
        return boxes.length / 4;
    }

    /** Areas {@code (x2-x1)*(y2-y1)}, one per row. */
    public static float[] area(float[] boxes) {
        int n = count(boxes);
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            out[i] = (boxes[4 * i + 2] - boxes[4 * i]) * (boxes[4 * i + 3] - boxes[4 * i + 1]);
        }
        return out;
    }

    /**
     * Pairwise IoU as torchvision's {@code box_iou}: an (na x nb) row-major matrix, row i for box i of {@code a}.
     * Two empty boxes give 0/0 = NaN, as in torchvision.
     */
    public static float[] iou(float[] a, float[] b) {
        int na = count(a);
        int nb = count(b);
        float[] areaA = area(a);
        float[] areaB = area(b);
        float[] out = new float[na * nb];
        for (int i = 0; i < na; i++) {
            float ax1 = a[4 * i];
            float ay1 = a[4 * i + 1];
            float ax2 = a[4 * i + 2];
            float ay2 = a[4 * i + 3];
            int row = i * nb;
            for (int j = 0; j < nb; j++) {
                float w = Math.min(ax2, b[4 * j + 2]) - Math.max(ax1, b[4 * j]);
                float h = Math.min(ay2, b[4 * j + 3]) - Math.max(ay1, b[4 * j + 1]);
                float inter = Math.max(w, 0f) * Math.max(h, 0f);
                out[row + j] = inter / (areaA[i] + areaB[j] - inter);
            }
        }
        return out;
    }

    /** torchvision {@code clip_boxes_to_image}: x clamped to [0, width], y to [0, height]; a new array. */
    public static float[] clip(float[] boxes, int height, int width) {
        int n = count(boxes);
        float[] out = new float[boxes.length];
        for (int i = 0; i < n; i++) {
            out[4 * i] = clamp(boxes[4 * i], width);
            out[4 * i + 1] = clamp(boxes[4 * i + 1], height);
            out[4 * i + 2] = clamp(boxes[4 * i + 2], width);
            out[4 * i + 3] = clamp(boxes[4 * i + 3], height);
        }
        return out;
    }

    private static float clamp(float v, int max) {
        return Math.min(Math.max(v, 0f), max);
    }

    /** torchvision {@code remove_small_boxes}: indices (ascending) of boxes with width and height >= minSize. */
    public static int[] removeSmall(float[] boxes, float minSize) {
        int n = count(boxes);
        int[] keep = new int[n];
        int k = 0;
        for (int i = 0; i < n; i++) {
            float w = boxes[4 * i + 2] - boxes[4 * i];
            float h = boxes[4 * i + 3] - boxes[4 * i + 1];
            if (w >= minSize && h >= minSize) {
                keep[k++] = i;
            }
        }
        return Arrays.copyOf(keep, k);
    }

    /** Rows {@code idx} of {@code boxes}, in the order given. */
    public static float[] select(float[] boxes, int[] idx) {
        int n = count(boxes);
        float[] out = new float[idx.length * 4];
        for (int i = 0; i < idx.length; i++) {
            if (idx[i] < 0 || idx[i] >= n) {
                throw new IndexOutOfBoundsException("box index " + idx[i] + " outside [0, " + n + ")");
            }
            System.arraycopy(boxes, 4 * idx[i], out, 4 * i, 4);
        }
        return out;
    }
}
