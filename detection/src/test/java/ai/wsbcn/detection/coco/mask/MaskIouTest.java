package ai.wsbcn.detection.coco.mask;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** IoU of boxes and masks, hand-computed; crowd ground truth divides by the detection's area. */
class MaskIouTest {

    @Test
    void boxIouAndTheCrowdRule() {
        double[] dt = {0, 0, 10, 10};
        double[] gt = {5, 5, 10, 10};
        // intersection 5x5 = 25, union 100 + 100 - 25 = 175
        assertEquals(25.0 / 175.0, MaskIou.boxIou(dt, gt, false), 0.0);
        // crowd: 25 / area(dt) = 25 / 100
        assertEquals(0.25, MaskIou.boxIou(dt, gt, true), 0.0);
        // touching or apart: 0
        assertEquals(0.0, MaskIou.boxIou(dt, new double[] {10, 0, 5, 5}, false), 0.0);
        assertEquals(0.0, MaskIou.boxIou(dt, new double[] {20, 20, 5, 5}, true), 0.0);
    }

    @Test
    void fractionalBoxesGiveTheSameDoublesAsPycocotools() {
        // pycocotools 2.0.11: mask.iou([[0.1, 0.7, 0.2, 1.3]], [[0.2, 0.3, 0.2, 1.1]], [0]) and with [1]
        double[] dt = {0.1, 0.7, 0.2, 1.3};
        double[] gt = {0.2, 0.3, 0.2, 1.1};
        assertEquals(0.17073170731707324, MaskIou.boxIou(dt, gt, false), 0.0);
        assertEquals(0.26923076923076933, MaskIou.boxIou(dt, gt, true), 0.0);
    }

    @Test
    void boxIouMatrixIsDetectionMajor() {
        double[] dts = {0, 0, 2, 2, 1, 1, 2, 2};
        double[] gts = {0, 0, 2, 2, 0, 0, 4, 4, 1, 0, 1, 4};
        double[] out = new double[6];
        MaskIou.boxIou(dts, 2, gts, 3, new boolean[] {false, false, true}, out);
        // dt0 vs gt0 identical; vs gt1 4/16; vs crowd gt2: intersection 1x2 over dt area 4
        // dt1 vs gt0 1/7; vs gt1 4/16; vs crowd gt2: intersection 1x2 over 4
        assertArrayEquals(new double[] {1, 0.25, 0.5, 1.0 / 7.0, 0.25, 0.5}, out, 0.0);
    }

    @Test
    void maskIouCountsPixelsAndAppliesTheCrowdRule() {
        // dt covers 6 pixels, gt 4, all 4 shared
        Rle dt = Rle.encodeRowMajor(new byte[] {1, 1, 1, 0, 1, 1, 1, 0, 0}, 3, 3);
        Rle gt = Rle.encodeRowMajor(new byte[] {0, 1, 1, 0, 1, 1, 0, 0, 0}, 3, 3);
        assertEquals(4.0 / 6.0, MaskIou.rleIou(dt, gt, false), 0.0);
        assertEquals(4.0 / 6.0, MaskIou.rleIou(dt, gt, true), 0.0);
        Rle corner = Rle.encodeRowMajor(new byte[] {0, 0, 1, 0, 0, 0, 0, 0, 1}, 3, 3);
        // intersection 1, union 6 + 2 - 1 = 7; crowd: 1 / area(dt) = 1 / 6
        assertEquals(1.0 / 7.0, MaskIou.rleIou(dt, corner, false), 0.0);
        assertEquals(1.0 / 6.0, MaskIou.rleIou(dt, corner, true), 0.0);
        Rle empty = Rle.encodeRowMajor(new byte[9], 3, 3);
        assertEquals(0.0, MaskIou.rleIou(dt, empty, false), 0.0);
    }

    @Test
    void masksOfDifferentSizesGiveMinusOne() {
        Rle a = Rle.encodeRowMajor(new byte[] {1, 1, 1, 1}, 2, 2);
        Rle b = Rle.encodeRowMajor(new byte[] {1, 1, 1, 1, 1, 1}, 2, 3);
        assertEquals(-1.0, MaskIou.rleIou(a, b, false), 0.0);
    }
}
