package ai.wsbcn.pretrained.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.wsbcn.norm.NormSpec;
import ai.wsbcn.norm.testing.TestEngines;
import ai.wsbcn.pretrained.data.ClassificationSource;
import ai.wsbcn.pretrained.data.ClassificationSplits;
import ai.wsbcn.pretrained.data.OpenCv;
import ai.wsbcn.pretrained.data.Split;
import ai.wsbcn.util.InvalidInputException;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.Point;
import org.opencv.core.Scalar;
import org.opencv.imgcodecs.Imgcodecs;
import org.opencv.imgproc.Imgproc;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

/**
 * {@code wsbcn pretrain --dataset imagefolder}'s data path end to end: an ImageNet-style folder (PNG files in class
 * folders, train/ and val/) is augmented per (seed, epoch, sample), fed to the micro-batch pretrainer, and resnet8
 * learns it (val error well below chance).
 */
class ImageFolderPretrainTest {

    private static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());

    /** Three classes told apart by the hue of a textured image with a random dark disc. */
    private static final double[][] BGR = {{40, 40, 200}, {40, 190, 40}, {200, 60, 40}};

    @TempDir
    Path root;

    @BeforeAll
    static void loadOpenCv() {
        OpenCv.load();
    }

    /** Writes {@code perClass} training and {@code perClass / 3} validation images per class, deterministically. */
    static void writeColourFolder(Path root, int perClass) {
        Random r = new Random(11);
        String[] names = {"blue", "green", "red"}; // sorted: label = index
        int[] order = {2, 1, 0}; // red, green, blue BGR rows above, by sorted name
        for (String split : new String[] {"train", "val"}) {
            int n = split.equals("train") ? perClass : Math.max(2, perClass / 3);
            for (int c = 0; c < 3; c++) {
                Path dir = root.resolve(split).resolve(names[c]);
                try {
                    Files.createDirectories(dir);
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
                double[] bgr = BGR[order[c]];
                for (int i = 0; i < n; i++) {
                    int h = 36 + r.nextInt(12);
                    int w = 36 + r.nextInt(12);
                    Mat img = new Mat(h, w, CvType.CV_8UC3);
                    byte[] px = new byte[h * w * 3];
                    for (int p = 0; p < h * w; p++) {
                        for (int k = 0; k < 3; k++) {
                            px[p * 3 + k] = (byte) Math.max(0, Math.min(255, bgr[k] + r.nextGaussian() * 30));
                        }
                    }
                    img.put(0, 0, px);
                    Imgproc.circle(img, new Point(r.nextInt(w), r.nextInt(h)), 4 + r.nextInt(8),
                            new Scalar(20, 20, 20), -1);
                    assertTrue(Imgcodecs.imwrite(dir.resolve(i + ".png").toString(), img));
                    img.release();
                }
            }
        }
    }

    @Test
    void batchesAreDeterministicPerEpochAndCroppedToTheImageSize() {
        writeColourFolder(root, 6);
        ClassificationSplits splits = ClassificationSplits.imageFolder(root, 24, 0, 5, Integer.MAX_VALUE,
                Integer.MAX_VALUE);
        try (NDManager m = TestEngines.manager(TestEngines.MXNET);
                ClassificationSource train = splits.open(m, Split.TRAIN);
                ClassificationSource val = splits.open(m, Split.TEST)) {
            assertEquals(18, train.size());
            assertEquals(6, val.size());
            assertEquals(3, train.numClasses());
            int[] order = {4, 0, 17};
            NDList a = train.batch(m, order, 0, 3, 0);
            NDList again = train.batch(m, order, 0, 3, 0);
            NDList nextEpoch = train.batch(m, order, 0, 3, 1);
            assertEquals(new ai.djl.ndarray.types.Shape(3, 3, 24, 24), a.get(0).getShape());
            assertArrayEquals(new float[] {0, 0, 2}, a.get(1).toFloatArray(), "labels of samples 4, 0, 17");
            assertArrayEquals(a.get(0).toFloatArray(), again.get(0).toFloatArray(), 0f, "same epoch, same crops");
            assertFalse(java.util.Arrays.equals(a.get(0).toFloatArray(), nextEpoch.get(0).toFloatArray()),
                    "another epoch draws other crops");
            // evaluation: no randomness, resize 27 (24 * 256 / 224) then centre crop 24
            int[] first = {0};
            assertArrayEquals(val.batch(m, first, 0, 1, 0).get(0).toFloatArray(),
                    val.batch(m, first, 0, 1, 3).get(0).toFloatArray(), 0f);
        }
    }

    @Test
    void resnet8LearnsAnImageFolderAtMicroBatch() throws Exception {
        writeColourFolder(root, 20);
        ClassificationSplits splits = ClassificationSplits.imageFolder(root, 24, 0, 1, Integer.MAX_VALUE,
                Integer.MAX_VALUE);
        try (NDManager m = TestEngines.manager(TestEngines.PYTORCH);
                ClassificationSource train = splits.open(m, Split.TRAIN);
                ClassificationSource val = splits.open(m, Split.TEST)) {
            PretrainResult r = ClassificationPretrainer.builder().setArch("resnet8").setNorm(NormSpec.parse("gn+ws"))
                    .setOutDir(root.resolve("out")).optMicroBatch(2).optIterSize(4).optSamples(320).optLr(0.05f)
                    .optSeed(1).optConsole(QUIET).build().train(m, train, val);
            assertEquals(40, r.updates());
            // chance is 66.7 %; colour is an easy cue, so a learning network gets nearly all of the 18 val images
            assertTrue(r.top1Error() < 25.0, "val error " + r.top1Error() + " %");
            String summary = Files.readString(root.resolve("out/summary.json"));
            System.out.println(summary);
            assertTrue(summary.contains("\"test_error\""), summary);
        }
    }

    @Test
    void missingSplitsAreNamed() throws Exception {
        Files.createDirectories(root.resolve("train/a"));
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> ClassificationSplits.imageFolder(root, 24, 0, 0, 10, 10));
        assertTrue(e.getMessage().contains("val/"), e.getMessage());
        e = assertThrows(InvalidInputException.class,
                () -> ClassificationSplits.imageFolder(root.resolve("absent"), 24, 0, 0, 10, 10));
        assertTrue(e.getMessage().contains("train/"), e.getMessage());
    }
}
