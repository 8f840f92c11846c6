package ai.wsbcn.detection.coco.eval;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * The few numpy and Python behaviours that decide the last digits of COCO numbers: {@code np.linspace},
 * {@code np.mean} (pairwise summation; how numpy splits a long array depends on its version, see {@link Summation})
 * and Python's correctly rounded {@code '{:0.Nf}'} formatting.
 */
public final class NumpyCompat {

    /** {@code np.spacing(1)}: the float64 machine epsilon added to precision denominators. */
    public static final double EPS = Math.ulp(1.0);

    private static final int REDUCE_BLOCK = 8192;
    private static final int PAIRWISE_BLOCK = 128;

    private NumpyCompat() {}

    /** {@code np.linspace(start, stop, num, endpoint=True)}: {@code i * step + start}, the last value is {@code stop}. */
    public static double[] linspace(double start, double stop, int num) {
        double[] y = new double[num];
        if (num == 1) {
            y[0] = start;
            return y;
        }
        int div = num - 1;
        double delta = stop - start;
        double step = delta / div;
        for (int i = 0; i < num; i++) {
            y[i] = step == 0 ? i / (double) div * delta + start : i * step + start;
        }
        y[num - 1] = stop;
        return y;
    }

    /**
     * How {@code np.add.reduce} feeds a long contiguous float64 array to its pairwise summation. COCO's AP means run
     * over up to 10 x 101 x K values, so the two orders can differ in the last bit of a stat (never in a printed
     * digit). Checked here: numpy 1.24, 1.26, 2.0, 2.1 and 2.2 sum in buffers of 8192 elements; 2.3 and 2.4 sum the
     * whole array at once.
     */
    public enum Summation {
        /** numpy 2.3 and later (the default: what a current pycocotools install uses). */
        WHOLE_ARRAY,
        /** numpy before 2.3: pairwise sums of 8192-element buffers, added in order. */
        BLOCKS_OF_8192;

        /** The order of numpy {@code version} ("2.4.6", "1.26", "2.2"). */
        public static Summation ofNumpyVersion(String version) {
            String[] parts = version.strip().split("\\.");
            try {
                int major = Integer.parseInt(parts[0]);
                int minor = parts.length > 1 ? Integer.parseInt(parts[1]) : 0;
                return major > 2 || (major == 2 && minor >= 3) ? WHOLE_ARRAY : BLOCKS_OF_8192;
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("not a numpy version: '" + version + "' (e.g. 2.4 or 1.26)", e);
            }
        }
    }

    /** {@code np.mean} of the first {@code n} values as current numpy computes it, bit for bit. */
    public static double mean(double[] a, int n) {
        return mean(a, n, Summation.WHOLE_ARRAY);
    }

    /** {@code np.mean} of the first {@code n} values with the summation order of a given numpy, bit for bit. */
    public static double mean(double[] a, int n, Summation summation) {
        if (summation == Summation.WHOLE_ARRAY) {
            return pairwiseSum(a, 0, n) / n;
        }
        double sum = 0;
        for (int off = 0; off < n; off += REDUCE_BLOCK) {
            sum += pairwiseSum(a, off, Math.min(REDUCE_BLOCK, n - off));
        }
        return sum / n;
    }

    /** numpy's {@code pairwise_sum} for float64 (8 partial sums below 128 elements, halves above). */
    static double pairwiseSum(double[] a, int off, int n) {
        if (n < 8) {
            double res = 0.;
            for (int i = 0; i < n; i++) {
                res += a[off + i];
            }
            return res;
        }
        if (n <= PAIRWISE_BLOCK) {
            double r0 = a[off];
            double r1 = a[off + 1];
            double r2 = a[off + 2];
            double r3 = a[off + 3];
            double r4 = a[off + 4];
            double r5 = a[off + 5];
            double r6 = a[off + 6];
            double r7 = a[off + 7];
            int i;
            for (i = 8; i < n - (n % 8); i += 8) {
                r0 += a[off + i];
                r1 += a[off + i + 1];
                r2 += a[off + i + 2];
                r3 += a[off + i + 3];
                r4 += a[off + i + 4];
                r5 += a[off + i + 5];
                r6 += a[off + i + 6];
                r7 += a[off + i + 7];
            }
            double res = ((r0 + r1) + (r2 + r3)) + ((r4 + r5) + (r6 + r7));
            for (; i < n; i++) {
                res += a[off + i];
            }
            return res;
        }
        int n2 = n / 2;
        n2 -= n2 % 8;
        return pairwiseSum(a, off, n2) + pairwiseSum(a, off + n2, n - n2);
    }

    /** Python's {@code '{:0.<digits>f}'.format(v)}: the exact binary value rounded half-even. */
    public static String format(double v, int digits) {
        return new BigDecimal(v).setScale(digits, RoundingMode.HALF_EVEN).toPlainString();
    }
}
