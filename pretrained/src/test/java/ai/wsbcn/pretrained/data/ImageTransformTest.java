package ai.wsbcn.pretrained.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.opencv.core.CvType;
import org.opencv.core.Mat;

import java.util.SplittableRandom;

class ImageTransformTest {

    @BeforeAll
    static void loadOpenCv() {
        OpenCv.load();
    }

    @Test
    void randomResizedCropFollowsTorchvisionArithmetic() {
        // 100x80: area fraction 0.08 + 0.92*0.5 = 0.54 -> 4320 px; log-ratio midpoint -> aspect 1 -> 66x66 (65.73)
        ScriptedRandom r = new ScriptedRandom().withDoubles(0.5, 0.5).withInts(9, 20);
        assertEquals(new CropWindow(20, 9, 66, 66), new RandomResizedCrop().sample(100, 80, r));
    }

    @Test
    void randomResizedCropRetriesWindowsThatDoNotFit() {
        // first draw: whole area at aspect 4/3 -> 103x77 does not fit 100 wide; second: 0.08 at aspect 3/4 -> 22x29
        ScriptedRandom r = new ScriptedRandom().withDoubles(1.0, 1.0, 0.0, 0.0).withInts(3, 4);
        assertEquals(new CropWindow(4, 3, 22, 29), new RandomResizedCrop().sample(100, 80, r));
    }

    @Test
    void randomResizedCropFallsBackToACentralCropClampedToTheRatio() {
        // 1000x10: no window with aspect <= 4/3 and area >= 8% fits in 10 rows -> h 10, w round(13.33) = 13
        CropWindow w = new RandomResizedCrop().sample(1000, 10, new SplittableRandom(1));
        assertEquals(new CropWindow(493, 0, 13, 10), w);
        assertEquals(new CropWindow(0, 493, 10, 13), new RandomResizedCrop().centralFallback(10, 1000));
        assertEquals(new CropWindow(0, 0, 50, 40), new RandomResizedCrop().centralFallback(50, 40));
    }

    @Test
    void randomResizedCropStaysInsideTheImageAndTheRanges() {
        RandomResizedCrop crop = new RandomResizedCrop();
        SplittableRandom r = new SplittableRandom(7);
        for (int t = 0; t < 2000; t++) {
            int width = 20 + r.nextInt(300);
            int height = 20 + r.nextInt(300);
            CropWindow w = crop.sample(width, height, r);
            assertTrue(w.x() >= 0 && w.y() >= 0 && w.x() + w.width() <= width && w.y() + w.height() <= height,
                    w + " in " + width + "x" + height);
        }
    }

    @Test
    void resizeUsesTheShorterSideAndTruncatesTheLonger() {
        ResizeCenterCrop t = new ResizeCenterCrop(256, 224);
        assertArrayEquals(new int[] {341, 256}, t.resizedSize(500, 375));
        assertArrayEquals(new int[] {256, 341}, t.resizedSize(375, 500));
        assertArrayEquals(new int[] {256, 256}, t.resizedSize(90, 90));
        // offsets round half to even like Python: (341 - 224) / 2 = 58.5 -> 58
        assertEquals(new CropWindow(58, 16, 224, 224), t.centerWindow(341, 256));
    }

    @Test
    void evalTransformCropsTheCentreExactly() {
        // already 256 on the short side, so the resize is the identity and the crop can be checked pixel by pixel
        Mat img = patterned(256, 300);
        Mat out = ImageTransform.eval(256, 224).apply(img, new SplittableRandom(0));
        assertEquals(224, out.rows());
        assertEquals(224, out.cols());
        for (int[] p : new int[][] {{0, 0}, {5, 17}, {223, 223}}) {
            int y = p[0];
            int x = p[1];
            assertArrayEquals(img.get(y + 16, x + 38), out.get(y, x), "pixel " + y + "," + x);
        }
        img.release();
        out.release();
    }

    @Test
    void evalTransformPadsImagesSmallerThanTheCrop() {
        Mat img = patterned(10, 10);
        Mat out = new ResizeCenterCrop(10, 14).apply(img, new SplittableRandom(0));
        assertEquals(14, out.rows());
        assertArrayEquals(new double[] {0, 0, 0}, out.get(0, 0));
        assertArrayEquals(img.get(0, 0), out.get(2, 2));
    }

    @Test
    void trainTransformGivesTheRequestedSizeAndFlipsSometimes() {
        Mat img = patterned(60, 80);
        ImageTransform t = new RandomResizedCropFlip(32, new RandomResizedCrop(1.0, 1.0, 1.0, 1.0), 0.5);
        // scale 1 and ratio 1 on 60x80 never fit: the fallback is the central 60x60 square, resized to 32x32
        Mat plain = t.apply(img, new ScriptedRandom().withDoubles(1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
                1, 1, 0.9));
        Mat flipped = t.apply(img, new ScriptedRandom().withDoubles(1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
                1, 1, 0.1));
        assertEquals(32, plain.rows());
        assertEquals(32, plain.cols());
        for (int y = 0; y < 32; y += 7) {
            for (int x = 0; x < 32; x += 5) {
                assertArrayEquals(plain.get(y, x), flipped.get(y, 31 - x), "pixel " + y + "," + x);
            }
        }
    }

    /** An 8-bit RGB image whose pixel (y, x) is ((x + 3y) % 256, (7x) % 256, y % 256). */
    static Mat patterned(int rows, int cols) {
        Mat img = new Mat(rows, cols, CvType.CV_8UC3);
        byte[] data = new byte[rows * cols * 3];
        for (int y = 0; y < rows; y++) {
            for (int x = 0; x < cols; x++) {
                int p = (y * cols + x) * 3;
                data[p] = (byte) ((x + 3 * y) % 256);
                data[p + 1] = (byte) ((7 * x) % 256);
                data[p + 2] = (byte) (y % 256);
            }
        }
        img.put(0, 0, data);
        return img;
    }
}
