package ai.wsbcn.detection.coco.eval;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The numpy/Python details that decide the last digits; expected values printed by numpy 1.24 / Python 3.11. */
class NumpyCompatTest {

    @Test
    void thresholdsAreNumpyLinspace() {
        double[] iou = CocoEvalParams.iouThresholds();
        assertEquals(10, iou.length);
        assertEquals(0.8999999999999999, iou[8], 0.0);
        assertEquals(0.75, iou[5], 0.0, "np.where(.75 == iouThrs) must find index 5");
        assertEquals(0.95, iou[9], 0.0);
        double[] rec = CocoEvalParams.recallThresholds();
        assertEquals(101, rec.length);
        // the values of np.linspace(0, 1, 101) that differ from i/100
        int[] above = {35, 41, 47, 57, 69, 70, 82, 83, 94, 95};
        double[] values = {0.35000000000000003, 0.41000000000000003, 0.47000000000000003, 0.5700000000000001,
            0.6900000000000001, 0.7000000000000001, 0.8200000000000001, 0.8300000000000001, 0.9400000000000001,
            0.9500000000000001};
        int k = 0;
        for (int i = 0; i < rec.length; i++) {
            if (k < above.length && above[k] == i) {
                assertEquals(values[k], rec[i], 0.0, "recThrs[" + i + "]");
                k++;
            } else {
                assertEquals(i / 100.0, rec[i], 0.0, "recThrs[" + i + "]");
            }
        }
    }

    @Test
    void meanIsNumpysPairwiseSum() {
        double[] a = new double[20000];
        for (int i = 0; i < a.length; i++) {
            a[i] = ((i * 7919L) % 1000) / 997.0;
        }
        // np.mean(a), np.mean(a[:100]), np.mean(a[:5]), np.mean(a[:1000])
        assertEquals(0.5010030090270812, NumpyCompat.mean(a, 20000), 0.0);
        assertEquals(0.4919759277833499, NumpyCompat.mean(a, 100), 0.0);
        assertEquals(0.6399197592778334, NumpyCompat.mean(a, 5), 0.0);
        assertEquals(0.5010030090270813, NumpyCompat.mean(a, 1000), 0.0);
    }

    @Test
    void longMeansFollowTheSummationOrderOfTheChosenNumpy() {
        // the size of an AP mean over 80 categories (10 x 101 x 80); expected values printed by numpy 2.4.6 / 2.2.6
        double[] b = new double[80_800];
        for (int i = 0; i < b.length; i++) {
            b[i] = ((i * 7919L) % 10007) / 10007.0;
        }
        assertEquals(0.4999490715410103, NumpyCompat.mean(b, b.length, NumpyCompat.Summation.WHOLE_ARRAY), 0.0);
        assertEquals(0.4999490715410104, NumpyCompat.mean(b, b.length, NumpyCompat.Summation.BLOCKS_OF_8192), 0.0);
        assertEquals(0.4999490715410103, NumpyCompat.mean(b, b.length), 0.0);
        for (NumpyCompat.Summation s : NumpyCompat.Summation.values()) {
            assertEquals(0.5000411343940115, NumpyCompat.mean(b, 8193, s), 0.0, s.name());
            assertEquals(0.5000493800680987, NumpyCompat.mean(b, 16400, s), 0.0, s.name());
        }
        assertEquals(NumpyCompat.Summation.BLOCKS_OF_8192, NumpyCompat.Summation.ofNumpyVersion("1.26.4"));
        assertEquals(NumpyCompat.Summation.BLOCKS_OF_8192, NumpyCompat.Summation.ofNumpyVersion("2.2"));
        assertEquals(NumpyCompat.Summation.WHOLE_ARRAY, NumpyCompat.Summation.ofNumpyVersion("2.3.5"));
        assertEquals(NumpyCompat.Summation.WHOLE_ARRAY, NumpyCompat.Summation.ofNumpyVersion("3"));
        assertThrows(IllegalArgumentException.class, () -> NumpyCompat.Summation.ofNumpyVersion("latest"));
    }

    @Test
    void formattingRoundsTheExactBinaryValueHalfEven() {
        // '{:0.3f}'.format(...) in Python
        assertEquals("0.062", NumpyCompat.format(0.0625, 3));
        assertEquals("0.001", NumpyCompat.format(0.0005, 3));
        assertEquals("0.123", NumpyCompat.format(0.1235, 3));
        assertEquals("0.90", NumpyCompat.format(0.8999999999999999, 2));
        assertEquals("-1.000", NumpyCompat.format(-1, 3));
        assertEquals("1.000", NumpyCompat.format(1, 3));
    }
}
