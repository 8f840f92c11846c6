package ai.wsbcn.pretrained.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.dataset.Batch;
import ai.djl.training.dataset.Record;
import ai.wsbcn.util.InvalidInputException;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.Scalar;
import org.opencv.imgcodecs.Imgcodecs;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

class ImageFolderDatasetTest {

    @TempDir
    Path root;

    @BeforeAll
    static void loadOpenCv() {
        OpenCv.load();
    }

    /** train/{cat,dog,ant}: ant 1 png, cat 2 (one in a nested folder), dog 1 jpg and a text file. */
    @BeforeEach
    void writeFolder() throws Exception {
        Path train = root.resolve("train");
        for (String c : new String[] {"cat", "dog", "ant", "cat/nested"}) {
            Files.createDirectories(train.resolve(c));
        }
        write(train.resolve("ant/a.PNG"), ImageTransformTest.patterned(50, 70));
        write(train.resolve("cat/b.png"), ImageTransformTest.patterned(64, 48));
        write(train.resolve("cat/nested/c.png"), ImageTransformTest.patterned(40, 40));
        write(train.resolve("dog/d.jpg"), ImageTransformTest.patterned(45, 60));
        Files.writeString(train.resolve("dog/notes.txt"), "not an image");
        Path val = Files.createDirectories(root.resolve("val/dog"));
        // constant colour RGB (200, 100, 50); OpenCV takes BGR
        write(val.resolve("e.png"), new Mat(30, 40, CvType.CV_8UC3, new Scalar(50, 100, 200)));
    }

    private static void write(Path file, Mat img) {
        assertTrue(Imgcodecs.imwrite(file.toString(), img), "writing " + file);
        img.release();
    }

    private ImageFolderDataset train(long seed) {
        return ImageFolderDataset.builder().setFolder(root.resolve("train")).optTransform(ImageTransform.train(16))
                .optSeed(seed).setSampling(2, false).build();
    }

    @Test
    void classesAreSortedFoldersAndImagesAreFoundRecursively() {
        ImageFolderDataset ds = train(0);
        assertEquals(List.of("ant", "cat", "dog"), ds.classes());
        assertEquals(4, ds.size());
        assertEquals(List.of(0, 1, 1, 2), List.of(ds.label(0), ds.label(1), ds.label(2), ds.label(3)));
        assertTrue(ds.file(2).endsWith(Path.of("cat/nested/c.png")), ds.file(2).toString());
    }

    @Test
    void augmentationIsDeterministicPerSeedEpochAndIndex() {
        ImageFolderDataset a = train(42);
        ImageFolderDataset b = train(42);
        boolean epochChanges = false;
        boolean seedChanges = false;
        for (int i = 0; i < a.size(); i++) {
            float[] first = a.sample(i, 0);
            assertEquals(3 * 16 * 16, first.length);
            assertArrayEquals(first, b.sample(i, 0), "same seed, epoch and index");
            assertArrayEquals(first, a.sample(i, 0), "read twice");
            epochChanges |= !Arrays.equals(first, a.sample(i, 1));
            seedChanges |= !Arrays.equals(first, train(43).sample(i, 0));
        }
        assertTrue(epochChanges, "a new epoch draws new crops");
        assertTrue(seedChanges, "a new seed draws new crops");
    }

    @Test
    void recordsAndBatchesHaveTheDjlShapes() throws Exception {
        ImageFolderDataset ds = train(1);
        ds.setEpoch(3);
        try (NDManager m = NDManager.newBaseManager()) {
            Record r = ds.get(m, 3);
            assertEquals(new Shape(3, 16, 16), r.getData().singletonOrThrow().getShape());
            assertEquals(2f, r.getLabels().singletonOrThrow().getFloat());
            assertArrayEquals(ds.sample(3, 3), r.getData().singletonOrThrow().toFloatArray());
            int batches = 0;
            for (Batch batch : ds.getData(m)) {
                assertEquals(new Shape(2, 3, 16, 16), batch.getData().singletonOrThrow().getShape());
                assertEquals(new Shape(2), batch.getLabels().singletonOrThrow().getShape());
                batch.close();
                batches++;
            }
            assertEquals(2, batches);
        }
    }

    @Test
    void evalTransformNormalisesWithImagenetStatistics() {
        ImageFolderDataset val = ImageFolderDataset.builder().setFolder(root.resolve("val"))
                .optClasses(List.of("ant", "cat", "dog")).optTransform(ImageTransform.eval(20, 16))
                .setSampling(1, false).build();
        assertEquals(1, val.size());
        assertEquals(2, val.label(0));
        float[] chw = val.sample(0, 0);
        int[] rgb = {200, 100, 50};
        float[] mean = {0.485f, 0.456f, 0.406f};
        float[] std = {0.229f, 0.224f, 0.225f};
        for (int c = 0; c < 3; c++) {
            float expected = (rgb[c] / 255f - mean[c]) / std[c];
            for (int p = 0; p < 16 * 16; p += 37) {
                assertEquals(expected, chw[c * 256 + p], 1e-6f, "channel " + c + " pixel " + p);
            }
        }
    }

    /** A tagged photo is read as stored, as torchvision's ImageFolder (PIL) reads it: OpenCV alone would rotate it. */
    @Test
    void anExifOrientationIsNotApplied(@TempDir Path dir) throws Exception {
        Mat img = new Mat(48, 64, CvType.CV_8UC3, new Scalar(30, 30, 30));
        img.colRange(32, 64).setTo(new Scalar(220, 220, 220)); // bright right half: a rotation moves it
        Path plain = Files.createDirectories(dir.resolve("plain/a")).resolve("x.jpg");
        write(plain, img);
        Path tagged = Files.createDirectories(dir.resolve("tagged/a")).resolve("x.jpg");
        ImageFilesTest.tagRotate90(plain, tagged);
        float[] asStored = ImageFolderDataset.builder().setFolder(dir.resolve("plain")).optTransform(ImageTransform.eval(
                32, 32)).setSampling(1, false).build().sample(0, 0);
        float[] read = ImageFolderDataset.builder().setFolder(dir.resolve("tagged")).optTransform(ImageTransform.eval(
                32, 32)).setSampling(1, false).build().sample(0, 0);
        assertArrayEquals(asStored, read, 0f, "the stored pixels, exactly");
    }

    @Test
    void undecodableImageNamesTheFile() throws Exception {
        Path bad = root.resolve("train/dog/broken.jpg");
        Files.writeString(bad, "JFIF? no");
        ImageFolderDataset ds = train(0);
        int index = -1;
        for (int i = 0; i < ds.size(); i++) {
            if (ds.file(i).equals(bad)) {
                index = i;
            }
        }
        assertFalse(index < 0);
        int broken = index;
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> ds.sample(broken, 0));
        assertTrue(e.getMessage().contains(bad.toString()), e.getMessage());
    }

    @Test
    void foldersWithoutClassesOrImagesAreRefused() throws Exception {
        Path empty = Files.createDirectories(root.resolve("empty"));
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> ImageFolderDataset.builder().setFolder(empty).setSampling(1, false).build());
        assertTrue(e.getMessage().contains("no class sub-folders"), e.getMessage());
        Files.createDirectories(empty.resolve("cls"));
        e = assertThrows(InvalidInputException.class,
                () -> ImageFolderDataset.builder().setFolder(empty).setSampling(1, false).build());
        assertTrue(e.getMessage().contains("no images"), e.getMessage());
        e = assertThrows(InvalidInputException.class, () -> ImageFolderDataset.builder()
                .setFolder(root.resolve("absent")).setSampling(1, false).build());
        assertTrue(e.getMessage().contains("absent"), e.getMessage());
    }

    /** An empty training class, or an evaluation class the training split lacks, is refused naming the folder. */
    @Test
    void emptyTrainingClassesAndUnknownEvaluationClassesAreRefused() throws Exception {
        Path bee = Files.createDirectories(root.resolve("train/bee"));
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> train(0));
        assertTrue(e.getMessage().startsWith(bee + ": no images"), e.getMessage());
        Files.delete(bee);
        List<String> classes = train(0).classes();
        Files.createDirectories(root.resolve("val/eel"));
        e = assertThrows(InvalidInputException.class, () -> ImageFolderDataset.builder()
                .setFolder(root.resolve("val")).optClasses(classes).setSampling(1, false).build());
        assertTrue(e.getMessage().startsWith(root.resolve("val/eel") + ": class 'eel' is not one of the 3 training"
                + " classes"), e.getMessage());
    }

    /**
     * A class folder that is a symbolic link (a common way to assemble a subset) and nested folders give torchvision's
     * samples: {@code ImageFolder} walks with {@code followlinks=True}, a folder's own files before its sub-folders.
     */
    @Test
    void linkedClassFoldersAndNestedFilesGiveTorchvisionsSamples(@TempDir Path elsewhere) throws Exception {
        write(elsewhere.resolve("e.png"), ImageTransformTest.patterned(20, 20));
        Files.createSymbolicLink(root.resolve("train/eel"), elsewhere);
        write(root.resolve("train/cat/z.png"), ImageTransformTest.patterned(20, 20));
        ImageFolderDataset ds = train(0);
        assertEquals(List.of("ant", "cat", "dog", "eel"), ds.classes());
        List<String> files = new java.util.ArrayList<>();
        for (int i = 0; i < ds.size(); i++) {
            files.add(ds.label(i) + " " + root.resolve("train").relativize(ds.file(i)));
        }
        assertEquals(List.of("0 ant/a.PNG", "1 cat/b.png", "1 cat/z.png", "1 cat/nested/c.png", "2 dog/d.jpg",
                "3 eel/e.png"), files);
        assertEquals(3, ds.sample(5, 0).length / (16 * 16));
    }

    /** A limit keeps the first images, class by class: one that drops classes is reported (the CLI warns). */
    @Test
    void aLimitThatDropsClassesIsReported() {
        java.util.function.IntFunction<ImageFolderDataset> limited = n -> ImageFolderDataset.builder()
                .setFolder(root.resolve("train")).setSampling(1, false).optLimit(n).build();
        String note = limited.apply(3).classesLeftOutByLimit().orElseThrow();
        assertTrue(note.contains("first 3 of 4 images") && note.contains("only 2 of the 3 classes")
                && note.contains("'ant' to 'cat'"), note);
        assertTrue(limited.apply(4).classesLeftOutByLimit().isEmpty());
        assertTrue(train(0).classesLeftOutByLimit().isEmpty());
    }
}
