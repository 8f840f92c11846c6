package ai.wsbcn.detection.transforms;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.wsbcn.norm.testing.TestEngines;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Hand cases of torchvision's GeneralizedRCNNTransform formulas (resize, normalise, pad, flip, map back). */
class DetectionTransformTest {

    private static final DetectionTransform DEFAULT = DetectionTransform.builder().build();

    @Test
    void resizedSizeFollowsShortAndLongSideLimits() {
        // 480x640: scale = min(800/480, 1333/640) = 5/3 -> floor(800.0), floor(1066.67)
        assertArrayEquals(new int[] {800, 1066}, DEFAULT.resizedSize(480, 640, 800));
        // 200x1000: the long side limits: scale = 1333/1000 -> 266 x 1333
        assertArrayEquals(new int[] {266, 1333}, DEFAULT.resizedSize(200, 1000, 800));
        // portrait 640x480 -> 1066 x 800
        assertArrayEquals(new int[] {1066, 800}, DEFAULT.resizedSize(640, 480, 800));
    }

    @Test
    void bilinearMatchesPyTorchAlignCornersFalse() {
        // 2x2 [[0,1],[2,3]] -> 4x4: along x the source positions are 0, .25, .75, 1.25 (clamped to the edge):
        // weights give 0, .25, .75, 1 per unit step; y the same with step 2.
        float[] in = {0, 1, 2, 3};
        float[] out = DetectionTransform.resizeBilinear(in, 1, 2, 2, 4, 4);
        float[] v = {0f, 0.25f, 0.75f, 1f};
        for (int y = 0; y < 4; y++) {
            for (int x = 0; x < 4; x++) {
                assertEquals(v[x] + 2 * v[y], out[y * 4 + x], 1e-6, "(" + y + "," + x + ")");
            }
        }
        // downscale 4 -> 2: source positions (0.5)*2-0.5 = 0.5 and 2.5: midpoints
        float[] row = {0, 10, 20, 30};
        float[] down = DetectionTransform.resizeBilinear(row, 1, 1, 4, 1, 2);
        assertArrayEquals(new float[] {5f, 25f}, down, 1e-6f);
    }

    @Test
    void nearestMaskResize() {
        byte[] m = {1, 0, 0, 1};
        byte[] up = DetectionTransform.resizeNearest(m, 2, 2, 4, 4);
        byte[] expected = {1, 1, 0, 0, 1, 1, 0, 0, 0, 0, 1, 1, 0, 0, 1, 1};
        assertArrayEquals(expected, up);
        // 3 -> 2: floor(dst * 1.5) = 0, 1
        byte[] row = {7, 8, 9};
        assertArrayEquals(new byte[] {7, 8}, DetectionTransform.resizeNearest(row, 1, 3, 1, 2));
    }

    @Test
    void batchNormalisesPadsAndScalesTargets() {
        try (NDManager manager = NDManager.newBaseManager(TestEngines.MXNET)) {
            DetectionTransform t = DetectionTransform.builder().optMinSize(40).optMaxSize(100).build();
            // image 20x30 of one colour: scale min(40/20, 100/30) = 2 -> 40x60, padded to 64x64
            byte[] rgb = new byte[20 * 30 * 3];
            for (int p = 0; p < 20 * 30; p++) {
                rgb[3 * p] = (byte) 255;
                rgb[3 * p + 1] = (byte) 128;
                rgb[3 * p + 2] = 0;
            }
            byte[] mask = new byte[20 * 30];
            mask[5 * 30 + 7] = 1;
            TargetInstances targets = new TargetInstances(new float[] {1, 2, 11, 12}, new int[] {3},
                    new byte[][] {mask}, 20, 30);
            // second image 10x10 -> scale min(4, 10) = 4 -> 40x40
            byte[] rgb2 = new byte[10 * 10 * 3];
            List<DetectionSample> samples = List.of(new DetectionSample(7, rgb, 20, 30, targets),
                    new DetectionSample(8, rgb2, 10, 10, new TargetInstances(new float[0], new int[0], null, 10, 10)));
            List<TargetInstances> out = new ArrayList<>();
            ImageBatch b = t.batch(manager, samples, null, out);
            assertEquals(new Shape(2, 3, 64, 64), b.images().getShape());
            assertEquals(40, b.height(0));
            assertEquals(60, b.width(0));
            assertEquals(40, b.width(1));
            assertEquals(2f, b.scaleX(0), 1e-6);
            assertEquals(7, b.imageId(0));
            float[] img = b.images().toFloatArray();
            // channel 0 inside: (1 - 0.485) / 0.229; padding (row 50) is 0; channel 1: (128/255 - .456)/.224
            assertEquals((1f - 0.485f) / 0.229f, img[10 * 64 + 10], 1e-5);
            assertEquals((128f / 255f - 0.456f) / 0.224f, img[64 * 64 + 10 * 64 + 10], 1e-5);
            assertEquals(0f, img[50 * 64 + 10], 0f);
            assertEquals(0f, img[10 * 64 + 62], 0f);
            // second image black: (0 - mean)/std inside, 0 in the padding
            assertEquals(-0.485f / 0.229f, img[3 * 64 * 64 + 39 * 64 + 39], 1e-5);
            assertEquals(0f, img[3 * 64 * 64 + 39 * 64 + 41], 0f);

            TargetInstances r = out.get(0);
            assertArrayEquals(new float[] {2, 4, 22, 24}, r.boxes(), 1e-6f);
            assertEquals(40, r.height());
            assertEquals(60, r.width());
            // nearest 2x: pixel (5, 7) covers (10..11, 14..15)
            byte[] rm = r.masks()[0];
            int ones = 0;
            for (byte v : rm) {
                ones += v;
            }
            assertEquals(4, ones);
            assertEquals(1, rm[10 * 60 + 14]);
            assertEquals(1, rm[11 * 60 + 15]);
            b.close();
        }
    }

    @Test
    void flipMirrorsImageBoxesAndMasks() {
        try (NDManager manager = NDManager.newBaseManager(TestEngines.MXNET)) {
            DetectionTransform t = DetectionTransform.builder().optMinSize(4).optMaxSize(100).optSizeDivisibility(1)
                    .optFlipProbability(1f).build();
            byte[] rgb = new byte[4 * 8 * 3];
            rgb[(1 * 8 + 0) * 3] = (byte) 255; // red pixel at (y=1, x=0)
            byte[] mask = new byte[4 * 8];
            mask[1 * 8] = 1;
            TargetInstances targets = new TargetInstances(new float[] {0, 1, 3, 2}, new int[] {1},
                    new byte[][] {mask}, 4, 8);
            List<TargetInstances> out = new ArrayList<>();
            ImageBatch b = t.batch(manager, List.of(new DetectionSample(1, rgb, 4, 8, targets)), new Random(0), out);
            assertTrue(b.flipped(0));
            float[] img = b.images().toFloatArray();
            assertEquals((1f - 0.485f) / 0.229f, img[1 * 8 + 7], 1e-5); // now at x = 7
            assertEquals(-0.485f / 0.229f, img[1 * 8], 1e-5);
            // x1' = W - x2 = 5, x2' = W - x1 = 8
            assertArrayEquals(new float[] {5, 1, 8, 2}, out.get(0).boxes(), 0f);
            assertEquals(1, out.get(0).masks()[0][1 * 8 + 7]);
            assertEquals(0, out.get(0).masks()[0][1 * 8]);
            b.close();
            // probability 0 or evaluation never flips
            ImageBatch e = t.batch(manager, List.of(new DetectionSample(1, rgb, 4, 8, targets)), null, null);
            assertFalse(e.flipped(0));
            e.close();
        }
    }

    @Test
    void trainingDrawsMinSizeEvaluationUsesLast() {
        try (NDManager manager = NDManager.newBaseManager(TestEngines.MXNET)) {
            DetectionTransform t = DetectionTransform.builder().optMinSize(16, 32).optMaxSize(1000)
                    .optFlipProbability(0).build();
            DetectionSample s = new DetectionSample(1, new byte[8 * 8 * 3], 8, 8, null);
            ImageBatch eval = t.batch(manager, List.of(s), null, null);
            assertEquals(32, eval.height(0));
            eval.close();
            boolean saw16 = false;
            boolean saw32 = false;
            Random random = new Random(5);
            for (int k = 0; k < 20; k++) {
                ImageBatch b = t.batch(manager, List.of(s), random, null);
                saw16 |= b.height(0) == 16;
                saw32 |= b.height(0) == 32;
                b.close();
            }
            assertTrue(saw16 && saw32);
        }
    }

    @Test
    void toOriginalUndoesTheResize() {
        // 480x640 -> 800x1066: ratios 480/800 and 640/1066
        float[] resized = {100, 200, 533, 700};
        float[] back = DetectionTransform.toOriginal(resized, 800, 1066, 480, 640);
        assertArrayEquals(new float[] {100 * 640f / 1066, 200 * 0.6f, 533 * 640f / 1066, 700 * 0.6f}, back, 1e-4f);
        TargetInstances t = new TargetInstances(new float[] {10, 20, 300, 400}, new int[] {1}, null, 480, 640);
        TargetInstances r = DetectionTransform.transformTargets(t, 480, 640, false, 800, 1066);
        assertArrayEquals(t.boxes(), DetectionTransform.toOriginal(r.boxes(), 800, 1066, 480, 640), 1e-3f);
    }
}
