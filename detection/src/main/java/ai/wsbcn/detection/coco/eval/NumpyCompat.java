package ai.wsbcn.detection.coco.eval;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * The few numpy and Python behaviours that decide the last digits of COCO numbers: {@code np.linspace},
 * {@code np.mean} (pairwise summation in blocks of 8192 elements, as numpy's reduction loop does) and Python's
 * correctly rounded {@code '{:0.Nf}'} formatting.
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

    /** {@code np.mean} of the first {@code n} values, bit for bit. */
    public static double mean(double[] a, int n) {
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
