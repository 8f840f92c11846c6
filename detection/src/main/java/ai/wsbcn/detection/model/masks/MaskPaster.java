package ai.wsbcn.detection.model.masks;

/**
 * Mask R-CNN inference masks into the image as torchvision's {@code paste_masks_in_image} (padding 1): the m x m
 * probabilities are padded with a ring of zeros, the box is enlarged about its centre by (m+2)/m and truncated to
 * integers, the padded mask is resized bilinearly (align_corners=False) to the box's (w+1) x (h+1) pixels and
 * copied into the image where it overlaps; thresholding gives the binary mask.
 */
public final class MaskPaster {

    private static final int PADDING = 1;

    private MaskPaster() {}

    /** Binary mask (imageH*imageW, 1 where the pasted probability is > threshold). */
    public static byte[] paste(float[] probs, int m, float[] box, int imageH, int imageW, float threshold) {
        byte[] out = new byte[imageH * imageW];
        paste(probs, m, box, imageH, imageW, (i, v) -> out[i] = v > threshold ? (byte) 1 : 0);
        return out;
    }

    /** The pasted probabilities (imageH*imageW, 0 outside the box), before thresholding. */
    public static float[] pasteProbabilities(float[] probs, int m, float[] box, int imageH, int imageW) {
        float[] out = new float[imageH * imageW];
        paste(probs, m, box, imageH, imageW, (i, v) -> out[i] = v);
        return out;
    }

    private interface PixelSink {
        void set(int index, float value);
    }

    /**
     * Computes the resized padded mask only at the image pixels it covers (a detection's box is usually a small
     * part of the image) and hands each (flat image index, probability) to {@code sink}.
     */
    private static void paste(float[] probs, int m, float[] box, int imageH, int imageW, PixelSink sink) {
        if (probs.length != m * m) {
            throw new IllegalArgumentException("mask has " + probs.length + " values, expected " + m + "x" + m);
        }
        int pm = m + 2 * PADDING;
        float[] padded = new float[pm * pm];
        for (int y = 0; y < m; y++) {
            System.arraycopy(probs, y * m, padded, (y + PADDING) * pm + PADDING, m);
        }
        long[] b = expandedBox(box, m);
        int w = (int) Math.max(b[2] - b[0] + 1, 1);
        int h = (int) Math.max(b[3] - b[1] + 1, 1);
        int x0 = (int) Math.max(b[0], 0);
        int x1 = (int) Math.min(b[2] + 1, imageW);
        int y0 = (int) Math.max(b[1], 0);
        int y1 = (int) Math.min(b[3] + 1, imageH);
        if (x0 >= x1 || y0 >= y1) {
            return;
        }
        Bilinear ax = new Bilinear(pm, w, (int) (x0 - b[0]), (int) (x1 - b[0]));
        Bilinear ay = new Bilinear(pm, h, (int) (y0 - b[1]), (int) (y1 - b[1]));
        for (int y = y0; y < y1; y++) {
            int j = y - y0;
            int rowLo = ay.lo[j] * pm;
            int rowHi = ay.hi[j] * pm;
            for (int x = x0; x < x1; x++) {
                int i = x - x0;
                float v = ay.wLo[j] * (ax.wLo[i] * padded[rowLo + ax.lo[i]] + ax.wHi[i] * padded[rowLo + ax.hi[i]])
                        + ay.wHi[j] * (ax.wLo[i] * padded[rowHi + ax.lo[i]] + ax.wHi[i] * padded[rowHi + ax.hi[i]]);
                sink.set(y * imageW + x, v);
            }
        }
    }

    /**
     * PyTorch's bilinear resize weights (align_corners=False, source index clamped at 0) from {@code in} to
     * {@code out} samples, for output positions [from, to).
     */
    private static final class Bilinear {
        final int[] lo;
        final int[] hi;
        final float[] wLo;
        final float[] wHi;

        Bilinear(int in, int out, int from, int to) {
            int n = to - from;
            lo = new int[n];
            hi = new int[n];
            wLo = new float[n];
            wHi = new float[n];
            float scale = (float) in / out;
            for (int k = 0; k < n; k++) {
                float s = Math.max(scale * (from + k + 0.5f) - 0.5f, 0f);
                lo[k] = (int) s;
                hi[k] = lo[k] + (lo[k] < in - 1 ? 1 : 0);
                wHi[k] = s - lo[k];
                wLo[k] = 1f - wHi[k];
            }
        }
    }

    /** torchvision {@code expand_boxes(box, (m+2)/m)} cast to int64 (truncation toward zero), float32 arithmetic. */
    public static long[] expandedBox(float[] box, int m) {
        float scale = (float) ((double) (m + 2 * PADDING) / m);
        float wHalf = (box[2] - box[0]) * 0.5f * scale;
        float hHalf = (box[3] - box[1]) * 0.5f * scale;
        float xc = (box[2] + box[0]) * 0.5f;
        float yc = (box[3] + box[1]) * 0.5f;
        return new long[] {(long) (xc - wHalf), (long) (yc - hHalf), (long) (xc + wHalf), (long) (yc + hHalf)};
    }
}
