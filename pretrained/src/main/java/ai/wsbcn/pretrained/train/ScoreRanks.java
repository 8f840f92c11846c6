package ai.wsbcn.pretrained.train;

/**
 * Where the true class ranks among a sample's class scores, for top-k accuracy: the pretraining evaluation and the
 * video evaluation count with this one rule.
 */
public final class ScoreRanks {

    private ScoreRanks() {}

    /**
     * How many classes rank above {@code label} in {@code scores[offset .. offset + classes)}: higher scores, and
     * equal ones of a lower index (a stable descending sort, torch's topk order). Another class's NaN ranks above
     * every number, as in torch's topk. A NaN score of the true class gives {@link Integer#MAX_VALUE}, never within
     * any k: every comparison with NaN is false, which would otherwise rank it first and count a diverged model
     * correct.
     */
    public static int rankOf(float[] scores, int offset, int classes, int label) {
        float target = scores[offset + label];
        if (Float.isNaN(target)) {
            return Integer.MAX_VALUE;
        }
        int higher = 0;
        for (int c = 0; c < classes; c++) {
            float v = scores[offset + c];
            if (Float.isNaN(v) || v > target || (v == target && c < label)) {
                higher++;
            }
        }
        return higher;
    }
}
