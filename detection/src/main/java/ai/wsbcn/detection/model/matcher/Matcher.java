package ai.wsbcn.detection.model.matcher;

import java.util.Arrays;

/**
 * torchvision's {@code Matcher}: each prediction (anchor or proposal) gets the ground-truth box of highest IoU when
 * that IoU is >= the high threshold, {@link #BELOW_LOW} below the low threshold and {@link #BETWEEN} in between.
 * With low-quality matches allowed, every prediction that attains some ground truth's best IoU (ties included) keeps
 * its original best match even if below the thresholds, as in the Faster R-CNN paper's RPN.
 */
public final class Matcher {

    public static final int BELOW_LOW = -1;
    public static final int BETWEEN = -2;

    private final float high;
    private final float low;
    private final boolean allowLowQuality;

    public Matcher(float highThreshold, float lowThreshold, boolean allowLowQualityMatches) {
        if (lowThreshold > highThreshold) {
            throw new IllegalArgumentException("matcher low threshold " + lowThreshold + " > high " + highThreshold);
        }
        this.high = highThreshold;
        this.low = lowThreshold;
        this.allowLowQuality = allowLowQualityMatches;
    }

    /**
     * @param iou (numGt x numPredictions) row-major quality matrix, e.g. {@code Boxes.iou(gt, anchors)}
     * @return per prediction the matched gt index, or BELOW_LOW / BETWEEN. With no ground truth every prediction is
     *     BELOW_LOW (torchvision raises there; its callers then label everything background).
     */
    public int[] match(float[] iou, int numGt, int numPredictions) {
        if (iou.length != numGt * numPredictions) {
            throw new IllegalArgumentException("match: iou has " + iou.length + " values, expected " + numGt + "x"
                    + numPredictions);
        }
        int[] matches = new int[numPredictions];
        if (numGt == 0) {
            Arrays.fill(matches, BELOW_LOW);
            return matches;
        }
        int[] best = new int[numPredictions];
        for (int p = 0; p < numPredictions; p++) {
            int arg = 0;
            float v = iou[p];
            for (int g = 1; g < numGt; g++) { // first maximum wins, like torch.max(dim=0) on CPU
                float q = iou[g * numPredictions + p];
                if (q > v) {
                    v = q;
                    arg = g;
                }
            }
            best[p] = arg;
            matches[p] = v < low ? BELOW_LOW : v < high ? BETWEEN : arg;
        }
        if (allowLowQuality) {
            for (int g = 0; g < numGt; g++) {
                int row = g * numPredictions;
                float top = Float.NEGATIVE_INFINITY;
                for (int p = 0; p < numPredictions; p++) {
                    top = Math.max(top, iou[row + p]);
                }
                for (int p = 0; p < numPredictions; p++) {
                    if (iou[row + p] == top) {
                        matches[p] = best[p];
                    }
                }
            }
        }
        return matches;
    }
}
