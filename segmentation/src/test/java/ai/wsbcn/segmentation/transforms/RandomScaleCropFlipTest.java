package ai.wsbcn.segmentation.transforms;

import ai.wsbcn.segmentation.data.LabelMap;
import ai.wsbcn.pretrained.data.RgbImage;
import ai.wsbcn.segmentation.data.SegmentationSample;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Padding (mean colour / 255), cropping, flipping and nearest-neighbour label scaling of the training transform. */
class RandomScaleCropFlipTest {

    private static SegmentationSample sample(int w, int h) {
        byte[] rgb = new byte[3 * w * h];
        byte[] lab = new byte[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int p = y * w + x;
                rgb[3 * p] = (byte) (10 * x);
                rgb[3 * p + 1] = (byte) (10 * y);
                rgb[3 * p + 2] = (byte) 200;
                lab[p] = (byte) (x < w / 2 ? 1 : 2);
            }
        }
        return new SegmentationSample("s", new RgbImage(w, h, rgb), new LabelMap(w, h, lab));
    }

    @Test
    void padsBottomRightWithMeanColourAndIgnoreLabel() {
        RandomScaleCropFlip t = RandomScaleCropFlip.builder().optScaleRange(1, 1).optCrop(10).optFlip(false)
                .optPadRgb(new int[] {1, 2, 3}).build();
        SegmentationSample out = t.apply(sample(6, 4), new Random(1));
        assertEquals(10, out.image().width());
        for (int y = 0; y < 10; y++) {
            for (int x = 0; x < 10; x++) {
                int p = y * 10 + x;
                boolean inside = x < 6 && y < 4;
                int label = out.label().get(x, y);
                assertEquals(inside ? (x < 3 ? 1 : 2) : 255, label, "label at " + x + "," + y);
                assertEquals(inside ? 10 * x : 1, out.image().rgb()[3 * p] & 0xff);
                assertEquals(inside ? 10 * y : 2, out.image().rgb()[3 * p + 1] & 0xff);
            }
        }
    }

    @Test
    void cropsAWindowAndFlipsItHalfTheTime() {
        RandomScaleCropFlip t = RandomScaleCropFlip.builder().optScaleRange(1, 1).optCrop(5).build();
        int flipped = 0;
        for (int seed = 0; seed < 200; seed++) {
            SegmentationSample out = t.apply(sample(20, 12), new Random(seed));
            byte[] rgb = out.image().rgb();
            int x0 = (rgb[0] & 0xff) / 10;
            int x1 = (rgb[3 * 4] & 0xff) / 10;
            int y0 = (rgb[1] & 0xff) / 10;
            boolean mirror = x0 > x1;
            flipped += mirror ? 1 : 0;
            int left = Math.min(x0, x1);
            assertEquals(4, Math.abs(x1 - x0));
            assertTrue(left >= 0 && left + 5 <= 20 && y0 + 5 <= 12);
            for (int x = 0; x < 5; x++) {
                int srcX = mirror ? x0 - x : x0 + x;
                assertEquals(srcX < 10 ? 1 : 2, out.label().get(x, 2), "labels follow the image");
            }
        }
        assertTrue(flipped > 70 && flipped < 130, "flipped " + flipped + " of 200");
    }

    @Test
    void scalingKeepsLabelValuesExact() {
        RandomScaleCropFlip t = RandomScaleCropFlip.builder().optScaleRange(0.5, 2.0).optCrop(30).build();
        Random rng = new Random(3);
        for (int i = 0; i < 20; i++) {
            SegmentationSample out = t.apply(sample(21, 13), rng);
            for (byte b : out.label().labels()) {
                int v = b & 0xff;
                assertTrue(v == 1 || v == 2 || v == 255, "nearest-neighbour labels only, got " + v);
            }
        }
    }

    /**
     * Labels are resized like PIL's NEAREST (torchvision's segmentation reference), pixel centre to pixel centre, so
     * they stay aligned with the bilinear image. Expected rows printed by PIL 9.4:
     * {@code Image.fromarray(np.arange(n, dtype=np.uint8)[None]).resize((m, 1), Image.NEAREST)}; they equal
     * {@code floor((dst + 0.5) * n / m)}. The sizes n are odd so that no source position falls exactly on a pixel
     * border (there PIL's float arithmetic and OpenCV's fixed point may round apart). OpenCV's INTER_NEAREST
     * ({@code floor(dst * n / m)}) gives 0 1 3 4 6 7 for 9 -> 6 and 0 2 5 8 for 11 -> 4.
     */
    @Test
    void labelResizeMapsPixelCentresLikePil() {
        int[][] cases = {{7, 10}, {9, 6}, {11, 4}, {5, 8}, {13, 9}};
        int[][] pil = {{0, 1, 1, 2, 3, 3, 4, 5, 5, 6}, {0, 2, 3, 5, 6, 8}, {1, 4, 6, 9}, {0, 0, 1, 2, 2, 3, 4, 4},
            {0, 2, 3, 5, 6, 7, 9, 10, 12}};
        for (int c = 0; c < cases.length; c++) {
            int n = cases[c][0];
            int m = cases[c][1];
            byte[] row = new byte[n];
            for (int i = 0; i < n; i++) {
                row[i] = (byte) i;
            }
            LabelMap wide = Resize.label(new LabelMap(n, 1, row), m, 1);
            LabelMap tall = Resize.label(new LabelMap(1, n, row), 1, m);
            for (int x = 0; x < m; x++) {
                assertEquals(pil[c][x], wide.get(x, 0), n + " -> " + m + " at x=" + x);
                assertEquals(pil[c][x], tall.get(0, x), n + " -> " + m + " at y=" + x);
            }
        }
    }

    @Test
    void normalizerMapsMeanToZero() {
        int[] mean = ImageNormalizer.IMAGENET.meanRgb255();
        RgbImage img = new RgbImage(1, 1, new byte[] {(byte) mean[0], (byte) mean[1], (byte) mean[2]});
        float[] chw = ImageNormalizer.IMAGENET.toChw(img);
        for (float v : chw) {
            assertEquals(0f, v, 0.01f);
        }
        RgbImage white = new RgbImage(1, 1, new byte[] {(byte) 255, (byte) 255, (byte) 255});
        assertEquals((1 - 0.485f) / 0.229f, ImageNormalizer.IMAGENET.toChw(white)[0], 1e-5f);
    }
}
