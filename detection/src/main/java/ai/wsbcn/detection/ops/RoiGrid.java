package ai.wsbcn.detection.ops;

/**
 * The sample points of RoIAlign along one axis of one RoI: torchvision's bilinear sampling is separable, a sample
 * (y, x) is dropped when either coordinate is outside [-1, size], and its weight is the product of the per-axis
 * weights. For each of {@code bins * grid} samples: validity, low/high neighbour index and their weights
 * ({@code 1 - frac}, {@code frac}).
 */
final class RoiGrid {

    final int grid;
    final boolean[] valid;
    final int[] low;
    final int[] high;
    final float[] wLow;
    final float[] wHigh;

    private RoiGrid(int n, int grid) {
        this.grid = grid;
        valid = new boolean[n];
        low = new int[n];
        high = new int[n];
        wLow = new float[n];
        wHigh = new float[n];
    }

    /**
     * @param start roi start in image coordinates (x1 or y1)
     * @param end roi end (x2 or y2)
     * @param size feature map size along this axis
     */
    static RoiGrid of(float start, float end, float spatialScale, int bins, int samplingRatio, boolean aligned,
                      int size) {
        float offset = aligned ? 0.5f : 0f;
        float roiStart = start * spatialScale - offset;
        float roiEnd = end * spatialScale - offset;
        float roiSize = roiEnd - roiStart;
        if (!aligned) {
            roiSize = Math.max(roiSize, 1f); // torchvision forces malformed rois to 1x1
        }
        float binSize = roiSize / bins;
        int grid;
        if (samplingRatio > 0) {
            grid = samplingRatio;
        } else if (Float.isFinite(roiSize)) {
            grid = Math.max((int) Math.ceil(roiSize / bins), 0);
        } else {
            grid = 0; // a NaN/infinite RoI samples nothing (every sample would be outside): zeros
        }
        RoiGrid g = new RoiGrid(bins * grid, grid);
        for (int p = 0; p < bins; p++) {
            for (int i = 0; i < grid; i++) {
                int k = p * grid + i;
                float v = roiStart + p * binSize + (i + .5f) * binSize / grid;
                if (!(v >= -1f && v <= size)) {
                    continue; // outside (or NaN): contributes zero
                }
                g.valid[k] = true;
                if (v <= 0) {
                    v = 0;
                }
                int lo = (int) v;
                int hi;
                if (lo >= size - 1) {
                    hi = lo = size - 1;
                    v = lo;
                } else {
                    hi = lo + 1;
                }
                float frac = v - lo;
                g.low[k] = lo;
                g.high[k] = hi;
                g.wLow[k] = 1f - frac;
                g.wHigh[k] = frac;
            }
        }
        return g;
    }
}
