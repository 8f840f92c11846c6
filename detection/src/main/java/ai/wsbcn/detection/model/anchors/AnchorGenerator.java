package ai.wsbcn.detection.model.anchors;

/**
 * torchvision's {@code AnchorGenerator}: per level, zero-centred cell anchors for every (aspect ratio, size) pair
 * (ratio = h/w, rounded half-to-even to whole pixels), shifted to every feature-map cell; order (y, x, anchor) with
 * the anchor fastest. Strides are torchvision's integer {@code image_size // feature_size} per axis (e.g. 61, not 64,
 * for P6 of an 800-pixel side), so callers pass them explicitly.
 */
public final class AnchorGenerator {

    private final float[][] cellAnchors;

    /**
     * @param sizesPerLevel anchor sizes (sqrt of area) of each level
     * @param aspectRatios h/w ratios shared by all levels
     */
    public AnchorGenerator(float[][] sizesPerLevel, float[] aspectRatios) {
        if (sizesPerLevel.length == 0 || aspectRatios.length == 0) {
            throw new IllegalArgumentException("anchor generator needs at least one level and one aspect ratio");
        }
        cellAnchors = new float[sizesPerLevel.length][];
        for (int l = 0; l < sizesPerLevel.length; l++) {
            float[] sizes = sizesPerLevel[l];
            if (sizes.length * aspectRatios.length != sizesPerLevel[0].length * aspectRatios.length) {
                throw new IllegalArgumentException("every level needs the same number of anchor sizes");
            }
            float[] cell = new float[4 * sizes.length * aspectRatios.length];
            int k = 0;
            for (float ratio : aspectRatios) { // ratio-major, as torchvision's (ratios[:, None] * scales) view
                float hRatio = (float) Math.sqrt(ratio);
                float wRatio = 1f / hRatio;
                for (float size : sizes) {
                    float w = wRatio * size;
                    float h = hRatio * size;
                    cell[k++] = (float) Math.rint(-w / 2);
                    cell[k++] = (float) Math.rint(-h / 2);
                    cell[k++] = (float) Math.rint(w / 2);
                    cell[k++] = (float) Math.rint(h / 2);
                }
            }
            cellAnchors[l] = cell;
        }
    }

    /** Sizes 32, 64, 128, 256, 512 on P2..P6, aspect ratios 0.5, 1, 2 (Faster/Mask R-CNN FPN). */
    public static AnchorGenerator fpnDefault() {
        return new AnchorGenerator(new float[][] {{32}, {64}, {128}, {256}, {512}}, new float[] {0.5f, 1f, 2f});
    }

    public int numLevels() {
        return cellAnchors.length;
    }

    /** Anchors per feature-map location (sizes x ratios). */
    public int anchorsPerLocation() {
        return cellAnchors[0].length / 4;
    }

    /** The zero-centred anchors of {@code level} (0-based), anchorsPerLocation() rows. */
    public float[] cellAnchors(int level) {
        return cellAnchors[level].clone();
    }

    /**
     * All anchors of a level for a feature map of featureH x featureW cells: (featureH*featureW*A) rows, cell (y, x)
     * shifted by (x*strideW, y*strideH).
     */
    public float[] anchors(int level, int featureH, int featureW, int strideH, int strideW) {
        float[] cell = cellAnchors[level];
        int a = cell.length / 4;
        float[] out = new float[featureH * featureW * a * 4];
        int k = 0;
        for (int y = 0; y < featureH; y++) {
            float sy = y * strideH;
            for (int x = 0; x < featureW; x++) {
                float sx = x * strideW;
                for (int j = 0; j < a; j++) {
                    out[k++] = sx + cell[4 * j];
                    out[k++] = sy + cell[4 * j + 1];
                    out[k++] = sx + cell[4 * j + 2];
                    out[k++] = sy + cell[4 * j + 3];
                }
            }
        }
        return out;
    }
}
