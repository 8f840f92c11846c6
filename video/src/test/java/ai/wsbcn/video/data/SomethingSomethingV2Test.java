package ai.wsbcn.video.data;

import ai.wsbcn.pretrained.data.OpenCv;
import ai.wsbcn.util.InvalidInputException;
import ai.wsbcn.video.transforms.ClipTransform;
import ai.wsbcn.video.transforms.MultiScaleCrop;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.Scalar;
import org.opencv.imgcodecs.Imgcodecs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Something-Something V2's official JSON annotations, with frames laid out as TSM's vid2img_sthv2.py writes them. */
class SomethingSomethingV2Test {

    /** The official labels file's form: bracket-free templates -> ids as strings, not in id order here. */
    private static final String LABELS = "{\"Pushing something from left to right\": \"1\","
            + " \"Holding something\": \"0\", \"Putting something on something\": \"2\"}";

    @TempDir
    Path root;

    private Path frameDir(String id) {
        return root.resolve(SomethingSomethingV2.FRAMES_DIR).resolve(id);
    }

    /** {@code n} real frames {@code 000001.jpg ...} of {@code w x h}, grey when {@code gray}. */
    private void frames(String id, int n, int w, int h, boolean gray) throws IOException {
        OpenCv.load();
        Files.createDirectories(frameDir(id));
        for (int i = 1; i <= n; i++) {
            Mat m = gray ? new Mat(h, w, CvType.CV_8UC1, new Scalar(10 * i))
                    : new Mat(h, w, CvType.CV_8UC3, new Scalar(10 * i, 20, 30));
            assertTrue(Imgcodecs.imwrite(frameDir(id).resolve(String.format("%06d.jpg", i)).toString(), m));
            m.release();
        }
    }

    private void write(String name, String text) throws IOException {
        Files.writeString(root.resolve(name), text);
    }

    private static String entry(String id, String template) {
        return "{\"id\": \"" + id + "\", \"label\": \"" + template.toLowerCase().replace("[", "").replace("]", "")
                + " (filled in)\", \"template\": \"" + template + "\", \"placeholders\": [\"a cup\"]}";
    }

    @Test
    void readsTheOfficialJsonLayout() throws IOException {
        write(SomethingSomethingV2.LABELS_FILE, LABELS);
        write("something-something-v2-train.json", "[" + entry("78687", "Holding [something]") + ", "
                + entry("42326", "Pushing [something] from left to right") + ", "
                + entry("100", "Putting [something] on [something]") + "]");
        frames("78687", 5, 48, 40, false);
        frames("42326", 3, 48, 40, true); // grey frames are read as 3 equal channels
        VideoList list = SomethingSomething.read(root, SomethingSomething.Split.TRAIN);
        assertEquals(List.of("Holding something", "Pushing something from left to right",
                "Putting something on something"), list.classes(), "ordered by id, as TSM's category.txt");
        assertEquals(new VideoRecord("78687", frameDir("78687"), 5, 0), list.videos().get(0));
        assertEquals(new VideoRecord("42326", frameDir("42326"), 3, 1), list.videos().get(1));
        assertEquals(1, list.skipped().size(), "video 100 has no frames");
        assertEquals("%06d.jpg", list.template());

        // the frames are read with the list's template (000001.jpg), 4 segments of a 3-frame video repeat frames
        VideoClipDataset data = VideoClipDataset.builder().setList(list).optSegments(4).optTraining(false)
                .optTransform(ClipTransform.test(32, 32)).build();
        float[] clip = data.sample(1, 0);
        assertEquals(4 * 3 * 32 * 32, clip.length);
        int plane = 32 * 32;
        // a grey frame gives R = G = B: undo ImageNet's mean/std (tolerance 1e-3 of a grey level)
        float r = (clip[0] * 0.229f + 0.485f) * 255;
        float g = (clip[plane] * 0.224f + 0.456f) * 255;
        float b = (clip[2 * plane] * 0.225f + 0.406f) * 255;
        assertEquals(r, g, 1e-3f);
        assertEquals(r, b, 1e-3f);
    }

    @Test
    void framesElsewhereWithAnotherTemplate() throws IOException {
        write(SomethingSomethingV2.LABELS_FILE, LABELS);
        write("something-something-v2-validation.json", "[" + entry("9", "Holding [something]") + "]");
        Path rawframes = root.resolve("rawframes").resolve("9"); // mmaction2's layout: img_00001.jpg ...
        Files.createDirectories(rawframes);
        for (int i = 1; i <= 4; i++) {
            Files.createFile(rawframes.resolve(String.format("img_%05d.jpg", i)));
        }
        VideoList list = SomethingSomething.read(root, SomethingSomething.Split.VALIDATION, "img_%05d.jpg",
                root.resolve("rawframes"));
        assertEquals(new VideoRecord("9", rawframes, 4, 0), list.videos().get(0));
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> SomethingSomething.read(root,
                SomethingSomething.Split.VALIDATION, null, root.resolve("nowhere")));
        assertTrue(e.getMessage().endsWith("nowhere: frame folder not found"), e.getMessage());
    }

    @Test
    void framesOfAnotherSizeInOneVideoAreResizedToTheFirst() throws IOException {
        write(SomethingSomethingV2.LABELS_FILE, LABELS);
        write("something-something-v2-train.json", "[" + entry("5", "Holding [something]") + "]");
        frames("5", 4, 64, 48, false);
        Mat big = new Mat(96, 128, CvType.CV_8UC3, new Scalar(1, 2, 3)); // a resolution change mid-video
        Imgcodecs.imwrite(frameDir("5").resolve("000004.jpg").toString(), big);
        big.release();
        VideoList list = SomethingSomething.read(root, SomethingSomething.Split.TRAIN);
        VideoClipDataset data = VideoClipDataset.builder().setList(list).optSegments(4).optTraining(true)
                .optTransform(new MultiScaleCrop(32)).build();
        for (int epoch = 0; epoch < 5; epoch++) {
            assertEquals(4 * 3 * 32 * 32, data.sample(0, epoch).length);
        }
    }

    @Test
    void templatesAreMatchedWithoutBracketsAndUnknownOnesNamed() throws IOException {
        write(SomethingSomethingV2.LABELS_FILE, LABELS);
        write("something-something-v2-validation.json", "\uFEFF[" + entry("1", "Holding [something]") + ", "
                + entry("2", "Juggling [something]") + "]");
        frames("1", 2, 16, 16, false);
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> SomethingSomething.read(root, SomethingSomething.Split.VALIDATION));
        assertTrue(e.getMessage().endsWith("something-something-v2-validation.json: entry 2 (video 2): class"
                + " 'Juggling something' is not in the labels file (3 classes)"), e.getMessage());
    }

    @Test
    void theTestSplitsEntriesWithoutTemplateAreRefused() throws IOException {
        write(SomethingSomethingV2.LABELS_FILE, LABELS);
        write("something-something-v2-validation.json", "[{\"id\": \"1420\"}]"); // the official test file's form
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> SomethingSomething.read(root, SomethingSomething.Split.VALIDATION));
        assertTrue(e.getMessage().contains("entry 1 (video 1420): no \"template\""), e.getMessage());
    }

    @Test
    void badLabelsFilesAndDuplicateVideosAreErrors() throws IOException {
        write(SomethingSomethingV2.LABELS_FILE, "{\"A\": \"0\", \"B\": \"2\"}");
        InvalidInputException gap = assertThrows(InvalidInputException.class,
                () -> SomethingSomething.read(root, SomethingSomething.Split.TRAIN));
        assertTrue(gap.getMessage().contains("class 'B' has id \"2\"; ids must be 0..1"), gap.getMessage());
        write(SomethingSomethingV2.LABELS_FILE, "{\"A\": \"0\", \"B\": 0}");
        InvalidInputException same = assertThrows(InvalidInputException.class,
                () -> SomethingSomething.read(root, SomethingSomething.Split.TRAIN));
        assertTrue(same.getMessage().contains("'A' and 'B' have the same id 0"), same.getMessage());
        write(SomethingSomethingV2.LABELS_FILE, "{\"A\": \"0\",");
        InvalidInputException broken = assertThrows(InvalidInputException.class,
                () -> SomethingSomething.read(root, SomethingSomething.Split.TRAIN));
        assertTrue(broken.getMessage().contains(SomethingSomethingV2.LABELS_FILE + ": cannot read labels file"),
                broken.getMessage());
        write(SomethingSomethingV2.LABELS_FILE, "{\"[A]\": \"0\"}"); // brackets in the labels file are dropped too
        write("something-something-v2-train.json", "[" + entry("7", "A") + ", " + entry("7", "A") + "]");
        InvalidInputException twice = assertThrows(InvalidInputException.class,
                () -> SomethingSomething.read(root, SomethingSomething.Split.TRAIN));
        assertTrue(twice.getMessage().endsWith("something-something-v2-train.json: entry 2: video 7 is listed again"
                + " (entry 1)"), twice.getMessage());
        Files.delete(root.resolve(SomethingSomethingV2.LABELS_FILE));
        InvalidInputException none = assertThrows(InvalidInputException.class,
                () -> SomethingSomething.read(root, SomethingSomething.Split.TRAIN));
        assertTrue(none.getMessage().contains("neither something-something-v1-labels.csv"), none.getMessage());
    }
}
