package ai.wsbcn.video.transforms;

import ai.wsbcn.pretrained.data.OpenCv;
import org.junit.jupiter.api.Test;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.Rect;
import org.opencv.core.Scalar;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Crop sizes and offsets worked out by hand from TSM's GroupMultiScaleCrop, and the no-flip / same-window rules. */
class MultiScaleCropTest {

    @Test
    void cropSizesOfASomethingSomethingFrame() {
        // 176x100 frame, output 224: sides int(100 * {1, .875, .75, .66}) = 100, 87, 75, 66; none within 2 of 224
        List<int[]> pairs = new MultiScaleCrop(224).cropSizes(176, 100);
        Set<String> got = new HashSet<>();
        for (int[] p : pairs) {
            got.add(p[0] + "x" + p[1]);
        }
        assertEquals(Set.of("100x100", "87x100", "100x87", "87x87", "75x87", "87x75", "75x75", "66x75", "75x66",
                "66x66"), got);
    }

    @Test
    void sidesWithinTwoPixelsSnapToTheOutputSize() {
        // 256x256, output 224: 256, 224, 192, 168 -> 224 stays; 256*0.875 = 224 exactly
        List<int[]> pairs = new MultiScaleCrop(225).cropSizes(256, 256);
        assertTrue(pairs.stream().anyMatch(p -> p[0] == 225 && p[1] == 225), "224 should snap to 225");
    }

    @Test
    void thirteenFixedOffsets() {
        // free space 80 x 20 -> steps 20 and 5
        List<int[]> o = MultiScaleCrop.fixedOffsets(180, 100, 100, 80);
        assertEquals(13, o.size());
        int[][] expected = {{0, 0}, {80, 0}, {0, 20}, {80, 20}, {40, 10}, {0, 10}, {80, 10}, {40, 20}, {40, 0},
            {20, 5}, {60, 5}, {20, 15}, {60, 15}};
        for (int i = 0; i < 13; i++) {
            assertEquals(expected[i][0], o.get(i)[0], "x of offset " + i);
            assertEquals(expected[i][1], o.get(i)[1], "y of offset " + i);
        }
    }

    @Test
    void everyFrameGetsTheSameUnflippedWindow() {
        OpenCv.load();
        // a frame whose left half is dark and right half bright: a flip or a different window per frame shows
        Mat a = new Mat(60, 80, CvType.CV_8UC3, new Scalar(0, 0, 0));
        a.submat(new Rect(40, 0, 40, 60)).setTo(new Scalar(200, 200, 200));
        Mat b = a.clone();
        MultiScaleCrop crop = new MultiScaleCrop(32);
        SplittableRandom r = new SplittableRandom(11);
        for (int trial = 0; trial < 30; trial++) {
            List<Mat> out = crop.apply(List.of(a, b), r);
            assertEquals(32, out.get(0).cols());
            double left = mean(out.get(0), 0, 4);
            double right = mean(out.get(0), 28, 32);
            assertTrue(left <= right, "left side brighter than right: flipped");
            Mat diff = new Mat();
            org.opencv.core.Core.absdiff(out.get(0), out.get(1), diff);
            assertEquals(0.0, org.opencv.core.Core.sumElems(diff).val[0], "frames cropped differently");
            out.forEach(Mat::release);
        }
    }

    @Test
    void aFrameOfAnotherSizeIsResizedToTheFirstThenCroppedAlike() {
        OpenCv.load();
        // the same picture at 80x60 and at 160x120 (a resolution change inside a video): equal crops, within 2 grey
        // levels per pixel on average (two resizes of a sharp edge)
        Mat a = new Mat(60, 80, CvType.CV_8UC3, new Scalar(0, 0, 0));
        a.submat(new Rect(40, 0, 40, 60)).setTo(new Scalar(200, 200, 200));
        Mat big = new Mat();
        org.opencv.imgproc.Imgproc.resize(a, big, new org.opencv.core.Size(160, 120), 0, 0,
                org.opencv.imgproc.Imgproc.INTER_NEAREST);
        MultiScaleCrop crop = new MultiScaleCrop(32);
        SplittableRandom r = new SplittableRandom(5);
        for (int trial = 0; trial < 20; trial++) {
            List<Mat> out = crop.apply(List.of(a, big), r);
            assertEquals(32, out.get(1).cols());
            assertEquals(32, out.get(1).rows());
            Mat diff = new Mat();
            org.opencv.core.Core.absdiff(out.get(0), out.get(1), diff);
            assertTrue(org.opencv.core.Core.sumElems(diff).val[0] / (32 * 32) < 2, "crops differ");
            diff.release();
            out.forEach(Mat::release);
        }
    }

    @Test
    void testTransformScalesAndCentres() {
        OpenCv.load();
        Mat a = new Mat(100, 176, CvType.CV_8UC3, new Scalar(1, 2, 3));
        List<Mat> out = ClipTransform.test(256, 224).apply(List.of(a), new SplittableRandom(0));
        assertEquals(224, out.get(0).rows());
        assertEquals(224, out.get(0).cols());
    }

    private static double mean(Mat m, int x0, int x1) {
        return org.opencv.core.Core.mean(m.submat(new Rect(x0, 0, x1 - x0, m.rows()))).val[0];
    }
}
