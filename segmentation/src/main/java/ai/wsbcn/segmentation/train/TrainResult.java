package ai.wsbcn.segmentation.train;

/**
 * What a training run did.
 *
 * @param startStep the step it started from (0, or the resumed checkpoint's)
 * @param steps the step it ended at
 * @param firstLoss mean loss over the first logged window
 * @param lastLoss mean loss over the last logged window
 * @param secondsPerStep mean wall time per optimizer step (data + forward + backward + update)
 * @param stepSeconds wall time of each step of this run, in order
 */
public record TrainResult(int startStep, int steps, double firstLoss, double lastLoss, double secondsPerStep,
                          double[] stepSeconds) {

    /** Fastest of the last {@code n} steps: on a shared machine, the step least disturbed by other jobs. */
    public double minOfLast(int n) {
        double m = Double.NaN;
        for (int i = Math.max(0, stepSeconds.length - n); i < stepSeconds.length; i++) {
            m = Double.isNaN(m) ? stepSeconds[i] : Math.min(m, stepSeconds[i]);
        }
        return m;
    }

    /** Median of the last {@code n} step times (robust to other jobs on the machine). */
    public double medianOfLast(int n) {
        int k = Math.min(n, stepSeconds.length);
        if (k == 0) {
            return Double.NaN;
        }
        double[] t = java.util.Arrays.copyOfRange(stepSeconds, stepSeconds.length - k, stepSeconds.length);
        java.util.Arrays.sort(t);
        return k % 2 == 1 ? t[k / 2] : (t[k / 2 - 1] + t[k / 2]) / 2;
    }
}
