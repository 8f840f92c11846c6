package ai.wsbcn.pretrained.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.wsbcn.norm.testing.TestEngines;
import ai.wsbcn.util.InvalidInputException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Files;
import java.nio.file.Path;

class MnistDatasetsTest {

    private static final int N = 12;
    private static final int H = 4;
    private static final int W = 3;

    @TempDir
    Path dir;

    @ParameterizedTest
    @MethodSource("ai.wsbcn.norm.testing.TestEngines#names")
    void loadsNormalisedImagesAndLabels(String engine) throws Exception {
        IdxFiles.writeSplit(dir, Split.TRAIN, N, H, W, true);
        try (NDManager m = TestEngines.manager(engine);
                InMemoryClassificationSet set = MnistDatasets.load(m, dir, Split.TRAIN, Normalization.FASHION_MNIST)) {
            assertEquals(N, set.size());
            assertEquals(new Shape(N, 1, H, W), set.images().getShape());
            assertEquals(new Shape(1, H, W), set.imageShape());
            float[] px = set.images().toFloatArray();
            for (int i = 0; i < N; i++) {
                for (int k = 0; k < H * W; k++) {
                    float expected = (IdxFiles.pixel(i, k) / 255f - 0.2860f) / 0.3530f;
                    assertEquals(expected, px[i * H * W + k], 1e-6f, "pixel " + k + " of image " + i);
                }
            }
            float[] labels = set.labels().toFloatArray();
            for (int i = 0; i < N; i++) {
                assertEquals(i % 10, labels[i]);
                assertEquals(i % 10, set.label(i));
            }
        }
    }

    @ParameterizedTest
    @MethodSource("ai.wsbcn.norm.testing.TestEngines#names")
    void batchesSliceConsecutiveAndGatherShuffledIndices(String engine) throws Exception {
        IdxFiles.writeSplit(dir, Split.TEST, N, H, W, false);
        int[] order = {5, 6, 7, 3, 11, 0, 2};
        try (NDManager m = TestEngines.manager(engine);
                InMemoryClassificationSet set = MnistDatasets.load(m, dir, Split.TEST, Normalization.MNIST);
                NDManager step = m.newSubManager()) {
            float[] all = set.images().toFloatArray();
            for (int[] batch : new int[][] {{0, 3}, {3, 4}, {4, 1}, {2, 2}}) {
                NDList b = set.batch(step, order, batch[0], batch[1]);
                assertEquals(new Shape(batch[1], 1, H, W), b.get(0).getShape());
                assertEquals(new Shape(batch[1]), b.get(1).getShape());
                assertSame(step, b.get(0).getManager());
                assertSame(step, b.get(1).getManager());
                float[] got = b.get(0).toFloatArray();
                float[] labels = b.get(1).toFloatArray();
                for (int k = 0; k < batch[1]; k++) {
                    int i = order[batch[0] + k];
                    assertEquals(i % 10, labels[k], "label of sample " + i);
                    for (int p = 0; p < H * W; p++) {
                        assertEquals(all[i * H * W + p], got[k * H * W + p], "pixel " + p + " of sample " + i);
                    }
                }
            }
            assertThrows(IndexOutOfBoundsException.class, () -> set.batch(step, order, 6, 2));
        }
    }

    @Test
    void limitKeepsTheFirstSamples() throws Exception {
        IdxFiles.writeSplit(dir, Split.TRAIN, N, H, W, false);
        try (NDManager m = NDManager.newBaseManager();
                InMemoryClassificationSet set = MnistDatasets.load(m, dir, Split.TRAIN, Normalization.MNIST, 5)) {
            assertEquals(5, set.size());
            assertEquals(new Shape(5, 1, H, W), set.images().getShape());
            assertArrayEquals(new float[] {0, 1, 2, 3, 4}, set.labels().toFloatArray());
        }
    }

    @Test
    void mismatchedCountsNameBothFiles() throws Exception {
        IdxFiles.writeSplit(dir, Split.TRAIN, N, H, W, false);
        Path labels = dir.resolve("train-labels-idx1-ubyte");
        IdxFiles.write(labels, IdxFiles.encode(new int[] {N - 1}, new byte[N - 1]), false);
        try (NDManager m = NDManager.newBaseManager()) {
            InvalidInputException e = assertThrows(InvalidInputException.class,
                    () -> MnistDatasets.load(m, dir, Split.TRAIN, Normalization.MNIST));
            assertTrue(e.getMessage().contains(labels.toString()) && e.getMessage().contains("11 labels for 12"),
                    e.getMessage());
        }
    }

    @Test
    void labelOutOfRangeNamesSampleAndFile() throws Exception {
        IdxFiles.writeSplit(dir, Split.TRAIN, N, H, W, false);
        byte[] bad = new byte[N];
        bad[4] = 12;
        Path labels = IdxFiles.write(dir.resolve("train-labels-idx1-ubyte"), IdxFiles.encode(new int[] {N}, bad), false);
        try (NDManager m = NDManager.newBaseManager()) {
            InvalidInputException e = assertThrows(InvalidInputException.class,
                    () -> MnistDatasets.load(m, dir, Split.TRAIN, Normalization.MNIST));
            assertTrue(e.getMessage().contains(labels.toString()) && e.getMessage().contains("sample 4"),
                    e.getMessage());
        }
    }

    @Test
    void missingFilesListWhatWasLookedFor() {
        try (NDManager m = NDManager.newBaseManager()) {
            InvalidInputException e = assertThrows(InvalidInputException.class,
                    () -> MnistDatasets.load(m, dir, Split.TEST, Normalization.MNIST));
            assertTrue(e.getMessage().contains("t10k-images-idx3-ubyte.gz") && e.getMessage().contains(dir.toString()),
                    e.getMessage());
        }
        assertTrue(!MnistLayout.isComplete(dir));
    }

    @Test
    void imagesWithWrongRankAreRefused() throws Exception {
        IdxFiles.writeSplit(dir, Split.TRAIN, N, H, W, false);
        Path images = IdxFiles.write(dir.resolve("train-images-idx3-ubyte"),
                IdxFiles.encode(new int[] {N, H * W}, new byte[N * H * W]), false);
        Files.deleteIfExists(dir.resolve("train-images-idx3-ubyte.gz"));
        try (NDManager m = NDManager.newBaseManager()) {
            InvalidInputException e = assertThrows(InvalidInputException.class,
                    () -> MnistDatasets.load(m, dir, Split.TRAIN, Normalization.MNIST));
            assertTrue(e.getMessage().contains(images.toString()) && e.getMessage().contains("3 dimensions"),
                    e.getMessage());
        }
    }
}
