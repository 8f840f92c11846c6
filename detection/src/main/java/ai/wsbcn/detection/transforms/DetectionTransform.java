package ai.wsbcn.detection.transforms;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * torchvision's {@code GeneralizedRCNNTransform} (plus the reference scripts' horizontal flip), on the host:
 * optionally flip (training), normalise with the ImageNet mean/std, resize bilinearly so that the short side is the
 * minimum size unless the long side would exceed the maximum size ({@code scale = min(min/short, max/long)}, output
 * {@code floor(size * scale)}), resize masks with nearest neighbour and boxes by the per-axis size ratio, then
 * zero-pad the batch at the bottom/right to a multiple of the size divisibility.
 *
 * <p>In training ({@code random != null}) the minimum size is drawn from the configured list (torchvision's
 * {@code torch_choice}); in evaluation the last entry is used.
 */
public final class DetectionTransform {

    static final float[] MEAN = {0.485f, 0.456f, 0.406f};
    static final float[] STD = {0.229f, 0.224f, 0.225f};

    private final int[] minSizes;
    private final int maxSize;
    private final int sizeDivisibility;
    private final float flipProbability;

    private DetectionTransform(Builder b) {
        this.minSizes = b.minSizes.clone();
        this.maxSize = b.maxSize;
        this.sizeDivisibility = b.sizeDivisibility;
        this.flipProbability = b.flipProbability;
    }

    public static Builder builder() {
        return new Builder();
    }

    public int[] minSizes() {
        return minSizes.clone();
    }

    public int maxSize() {
        return maxSize;
    }

    public int sizeDivisibility() {
        return sizeDivisibility;
    }

    public float flipProbability() {
        return flipProbability;
    }

    /**
     * The resized size {@code {h, w}} of an {@code height x width} image for a given minimum size (torchvision:
     * float64 scale, floor of the product).
     */
    public int[] resizedSize(int height, int width, int minSize) {
        double scale = scale(height, width, minSize);
        return new int[] {(int) Math.floor(height * scale), (int) Math.floor(width * scale)};
    }

    private double scale(int height, int width, int minSize) {
        double shortSide = Math.min(height, width);
        double longSide = Math.max(height, width);
        return Math.min(minSize / shortSide, maxSize / longSide);
    }

    /**
     * Transforms a batch. With {@code random} non-null (training) the minimum size is drawn per image and images
     * are flipped with the flip probability; with null (evaluation) nothing random happens. When
     * {@code transformedTargetsOut} is non-null it receives each sample's targets in the resized (and flipped)
     * frame, in order (null for a sample without targets).
     */
    public ImageBatch batch(NDManager manager, List<DetectionSample> samples, Random random,
            List<TargetInstances> transformedTargetsOut) {
        int n = samples.size();
        if (n == 0) {
            throw new IllegalArgumentException("an image batch needs at least one image");
        }
        float[][] resized = new float[n][];
        int[] hs = new int[n];
        int[] ws = new int[n];
        int[] oh = new int[n];
        int[] ow = new int[n];
        long[] ids = new long[n];
        boolean[] flips = new boolean[n];
        for (int i = 0; i < n; i++) {
            DetectionSample s = samples.get(i);
            int minSize = random == null ? minSizes[minSizes.length - 1] : minSizes[random.nextInt(minSizes.length)];
            boolean flip = random != null && flipProbability > 0 && random.nextFloat() < flipProbability;
            int[] size = resizedSize(s.height(), s.width(), minSize);
            hs[i] = size[0];
            ws[i] = size[1];
            oh[i] = s.height();
            ow[i] = s.width();
            ids[i] = s.imageId();
            flips[i] = flip;
            float[] chw = normalize(s.rgb(), s.height(), s.width(), flip);
            resized[i] = resizeBilinear(chw, 3, s.height(), s.width(), size[0], size[1]);
            if (transformedTargetsOut != null) {
                TargetInstances t = s.targets();
                transformedTargetsOut.add(t == null ? null : transformTargets(t, s.height(), s.width(), flip,
                        size[0], size[1]));
            }
        }
        int maxH = Arrays.stream(hs).max().getAsInt();
        int maxW = Arrays.stream(ws).max().getAsInt();
        int div = Math.max(1, sizeDivisibility);
        int padH = (maxH + div - 1) / div * div;
        int padW = (maxW + div - 1) / div * div;
        float[] data = new float[n * 3 * padH * padW];
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < 3; c++) {
                for (int y = 0; y < hs[i]; y++) {
                    System.arraycopy(resized[i], (c * hs[i] + y) * ws[i], data,
                            ((i * 3 + c) * padH + y) * padW, ws[i]);
                }
            }
        }
        var images = manager.create(FloatBuffer.wrap(data), new Shape(n, 3, padH, padW));
        return new ImageBatch(images, ids, hs, ws, oh, ow, flips);
    }

    /**
     * Targets of an {@code height x width} image in the frame of the same image flipped (optionally) and resized to
     * {@code newH x newW}: boxes scaled by the per-axis size ratio, masks by nearest neighbour.
     */
    public static TargetInstances transformTargets(TargetInstances t, int height, int width, boolean flip, int newH,
            int newW) {
        float[] boxes = t.boxes().clone();
        if (flip) {
            boxes = flipBoxes(boxes, width);
        }
        float ry = (float) newH / height;
        float rx = (float) newW / width;
        for (int k = 0; k < boxes.length; k += 4) {
            boxes[k] *= rx;
            boxes[k + 1] *= ry;
            boxes[k + 2] *= rx;
            boxes[k + 3] *= ry;
        }
        byte[][] masks = null;
        if (t.masks() != null) {
            masks = new byte[t.masks().length][];
            for (int k = 0; k < masks.length; k++) {
                byte[] m = flip ? flipMask(t.masks()[k], height, width) : t.masks()[k];
                masks[k] = resizeNearest(m, height, width, newH, newW);
            }
        }
        return new TargetInstances(boxes, t.labels().clone(), masks, newH, newW);
    }

    /** Horizontal flip of boxes in an image of the given width: {@code x1' = W - x2, x2' = W - x1}. */
    public static float[] flipBoxes(float[] boxes, int width) {
        float[] out = boxes.clone();
        for (int k = 0; k < boxes.length; k += 4) {
            out[k] = width - boxes[k + 2];
            out[k + 2] = width - boxes[k];
        }
        return out;
    }

    static byte[] flipMask(byte[] mask, int height, int width) {
        byte[] out = new byte[mask.length];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                out[y * width + x] = mask[y * width + width - 1 - x];
            }
        }
        return out;
    }

    /** Boxes predicted on resized image {@code i} mapped back to its original pixels (no flip undone). */
    public float[] toOriginal(float[] boxes, ImageBatch b, int i) {
        return toOriginal(boxes, b.height(i), b.width(i), b.originalHeight(i), b.originalWidth(i));
    }

    /** torchvision's {@code resize_boxes(boxes, resized, original)}: multiply by original / resized per axis. */
    public static float[] toOriginal(float[] boxes, int resizedH, int resizedW, int originalH, int originalW) {
        float ry = (float) originalH / resizedH;
        float rx = (float) originalW / resizedW;
        float[] out = new float[boxes.length];
        for (int k = 0; k < boxes.length; k += 4) {
            out[k] = boxes[k] * rx;
            out[k + 1] = boxes[k + 1] * ry;
            out[k + 2] = boxes[k + 2] * rx;
            out[k + 3] = boxes[k + 3] * ry;
        }
        return out;
    }

    /** RGB HWC bytes to normalised CHW floats ({@code (v/255 - mean) / std}), optionally mirrored. */
    static float[] normalize(byte[] rgb, int height, int width, boolean flip) {
        float[] out = new float[3 * height * width];
        int plane = height * width;
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int src = (y * width + (flip ? width - 1 - x : x)) * 3;
                int dst = y * width + x;
                for (int c = 0; c < 3; c++) {
                    out[c * plane + dst] = ((rgb[src + c] & 0xff) / 255f - MEAN[c]) / STD[c];
                }
            }
        }
        return out;
    }

    /**
     * PyTorch's bilinear interpolation, {@code align_corners=False}, no antialias, with the scale recomputed from
     * the sizes ({@code in / out}, float): {@code src = max(0, (dst + 0.5) * in/out - 0.5)}.
     */
    public static float[] resizeBilinear(float[] chw, int channels, int h, int w, int newH, int newW) {
        if (h == newH && w == newW) {
            return chw.clone();
        }
        float sy = (float) h / newH;
        float sx = (float) w / newW;
        int[] x0 = new int[newW];
        int[] x1 = new int[newW];
        float[] lx = new float[newW];
        for (int x = 0; x < newW; x++) {
            float src = Math.max(0f, sx * (x + 0.5f) - 0.5f);
            x0[x] = Math.min((int) src, w - 1);
            x1[x] = Math.min(x0[x] + 1, w - 1);
            lx[x] = src - x0[x];
        }
        float[] out = new float[channels * newH * newW];
        for (int y = 0; y < newH; y++) {
            float src = Math.max(0f, sy * (y + 0.5f) - 0.5f);
            int y0 = Math.min((int) src, h - 1);
            int y1 = Math.min(y0 + 1, h - 1);
            float ly = src - y0;
            for (int c = 0; c < channels; c++) {
                int r0 = (c * h + y0) * w;
                int r1 = (c * h + y1) * w;
                int o = (c * newH + y) * newW;
                for (int x = 0; x < newW; x++) {
                    float top = chw[r0 + x0[x]] * (1 - lx[x]) + chw[r0 + x1[x]] * lx[x];
                    float bottom = chw[r1 + x0[x]] * (1 - lx[x]) + chw[r1 + x1[x]] * lx[x];
                    out[o + x] = top * (1 - ly) + bottom * ly;
                }
            }
        }
        return out;
    }

    /** PyTorch's nearest interpolation (legacy {@code nearest}): {@code src = min(floor(dst * in/out), in - 1)}. */
    public static byte[] resizeNearest(byte[] mask, int h, int w, int newH, int newW) {
        if (h == newH && w == newW) {
            return mask.clone();
        }
        float sy = (float) h / newH;
        float sx = (float) w / newW;
        int[] xs = new int[newW];
        for (int x = 0; x < newW; x++) {
            xs[x] = Math.min((int) Math.floor(x * sx), w - 1);
        }
        byte[] out = new byte[newH * newW];
        for (int y = 0; y < newH; y++) {
            int sy0 = Math.min((int) Math.floor(y * sy), h - 1);
            for (int x = 0; x < newW; x++) {
                out[y * newW + x] = mask[sy0 * w + xs[x]];
            }
        }
        return out;
    }

    /** Options; all have torchvision's Mask R-CNN defaults (800, 1333, 32, flip 0.5). */
    public static final class Builder {
        int[] minSizes = {800};
        int maxSize = 1333;
        int sizeDivisibility = 32;
        float flipProbability = 0.5f;

        private Builder() {}

        /** Short-side sizes; training draws one per image, evaluation uses the last. */
        public Builder optMinSize(int... sizes) {
            if (sizes == null || sizes.length == 0) {
                throw new IllegalArgumentException("at least one minimum size is needed");
            }
            for (int s : sizes) {
                if (s <= 0) {
                    throw new IllegalArgumentException("minimum sizes must be positive, got " + Arrays.toString(sizes));
                }
            }
            this.minSizes = sizes.clone();
            return this;
        }

        public Builder optMaxSize(int maxSize) {
            if (maxSize <= 0) {
                throw new IllegalArgumentException("maximum size must be positive, got " + maxSize);
            }
            this.maxSize = maxSize;
            return this;
        }

        public Builder optSizeDivisibility(int divisibility) {
            this.sizeDivisibility = divisibility;
            return this;
        }

        /** Probability of a horizontal flip per training image (0 disables). */
        public Builder optFlipProbability(float p) {
            this.flipProbability = p;
            return this;
        }

        public DetectionTransform build() {
            return new DetectionTransform(this);
        }
    }
}
