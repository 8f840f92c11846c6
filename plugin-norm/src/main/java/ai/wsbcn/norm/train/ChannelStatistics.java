package ai.wsbcn.norm.train;

/**
 * How close a layer is to an elimination singularity, from one batch of its activations (N, C, H, W):
 * <ul>
 *   <li>StatDiff (BCN paper, Eq. 35): within a group of channels, the standard deviation of the channel means
 *       divided by the mean of the channel standard deviations, averaged over groups. Large values mean channels
 *       drift apart in mean, which batch knowledge corrects and GN alone does not.
 *   <li>the fraction of dead channels: channels whose value after the norm and a ReLU is zero everywhere in the
 *       batch (their maximum is &lt;= 0).
 * </ul>
 */
public final class ChannelStatistics {

    private ChannelStatistics() {}

    /** StatDiff of {@code x} with layout (n, c, hw), channels split into {@code groups} equal groups. */
    public static double statDiff(float[] x, int n, int c, int hw, int groups) {
        double[] mean = new double[c];
        double[] std = new double[c];
        long count = (long) n * hw;
        for (int ch = 0; ch < c; ch++) {
            double s = 0;
            double s2 = 0;
            for (int b = 0; b < n; b++) {
                int base = (b * c + ch) * hw;
                for (int i = 0; i < hw; i++) {
                    double v = x[base + i];
                    s += v;
                    s2 += v * v;
                }
            }
            mean[ch] = s / count;
            std[ch] = Math.sqrt(Math.max(0, s2 / count - mean[ch] * mean[ch]));
        }
        int per = c / groups;
        double total = 0;
        for (int g = 0; g < groups; g++) {
            double mu = 0;
            double sigma = 0;
            for (int ch = g * per; ch < (g + 1) * per; ch++) {
                mu += mean[ch];
                sigma += std[ch];
            }
            mu /= per;
            sigma /= per;
            double spread = 0;
            for (int ch = g * per; ch < (g + 1) * per; ch++) {
                spread += (mean[ch] - mu) * (mean[ch] - mu);
            }
            total += sigma > 0 ? Math.sqrt(spread / per) / sigma : 0;
        }
        return total / groups;
    }

    /** Fraction of channels of {@code y} (n, c, hw) with no positive value anywhere in the batch. */
    public static double deadFraction(float[] y, int n, int c, int hw) {
        int dead = 0;
        for (int ch = 0; ch < c; ch++) {
            boolean alive = false;
            for (int b = 0; b < n && !alive; b++) {
                int base = (b * c + ch) * hw;
                for (int i = 0; i < hw; i++) {
                    if (y[base + i] > 0) {
                        alive = true;
                        break;
                    }
                }
            }
            if (!alive) {
                dead++;
            }
        }
        return (double) dead / c;
    }
}
