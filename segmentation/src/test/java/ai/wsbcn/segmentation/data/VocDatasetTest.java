package ai.wsbcn.segmentation.data;

import ai.wsbcn.segmentation.data.synthetic.SyntheticVoc;
import ai.wsbcn.util.InvalidInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The VOC layouts (plain, SBD-augmented, two-column lists) resolved from a synthetic set written to disk. */
class VocDatasetTest {

    @Test
    void readsPlainAndAugmentedSplits(@TempDir Path root) throws IOException {
        SyntheticVoc gen = SyntheticVoc.builder().optImageSize(48, 40).optImagesPerSplit(4, 2).optAugLayout(true)
                .build();
        gen.write(root);
        VocDataset val = VocDataset.builder().setRoot(root).setSplit("val").build();
        assertEquals(2, val.size());
        assertEquals(root.resolve("SegmentationClass").resolve("val_000001.png"), val.samples().get(0).label());
        VocDataset aug = VocDataset.builder().setRoot(root).setSplit("train_aug").build();
        assertEquals(4, aug.size());
        assertEquals(root.resolve("SegmentationClassAug").resolve("train_000003.png"),
                aug.samples().get(2).label());
        SegmentationSample s = aug.samples().get(2).load();
        assertArrayEquals(gen.render(SyntheticVoc.Split.TRAIN, 2).label().labels(), s.label().labels());
        assertEquals(48, s.image().width());

        // a VOCdevkit folder holding VOC2012 is accepted, and DeepLab's two-column lists
        Path devkit = Files.createDirectories(root.resolve("devkit"));
        Files.createSymbolicLink(devkit.resolve("VOC2012"), root);
        Files.writeString(root.resolve("ImageSets/Segmentation/pairs.txt"),
                "/JPEGImages/train_000002.jpg /SegmentationClassAug/train_000002.png\n\n");
        VocDataset pairs = VocDataset.builder().setRoot(devkit).setSplit("pairs").build();
        assertEquals("train_000002", pairs.samples().get(0).id());
        // torchvision's VOCSegmentation root: the folder holding VOCdevkit/VOC2012
        Path tvRoot = Files.createDirectories(root.resolve("tv"));
        Files.createSymbolicLink(tvRoot.resolve("VOCdevkit"), devkit);
        assertEquals(2, VocDataset.builder().setRoot(tvRoot).setSplit("val").build().size());
    }

    @Test
    void namesTheListLineOfAMissingFile(@TempDir Path root) throws IOException {
        SyntheticVoc.builder().optImageSize(32, 32).optImagesPerSplit(3, 1).build().write(root);
        Files.delete(root.resolve("SegmentationClass/train_000002.png"));
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> VocDataset.builder().setRoot(root).setSplit("train").build());
        assertTrue(e.getMessage().contains("train.txt:2") && e.getMessage().contains("train_000002.png"),
                e.getMessage());
        InvalidInputException noList = assertThrows(InvalidInputException.class,
                () -> VocDataset.builder().setRoot(root).setSplit("train_aug").build());
        assertTrue(noList.getMessage().contains("train_aug.txt"), noList.getMessage());
        assertThrows(InvalidInputException.class,
                () -> VocDataset.builder().setRoot(root.resolve("JPEGImages")).setSplit("val").build());
    }

    /** A list written on Windows (BOM, CRLF) reads as written; an id listed twice is refused with both lines. */
    @Test
    void windowsListsReadAndDuplicatesAreRefused(@TempDir Path root) throws IOException {
        SyntheticVoc.builder().optImageSize(32, 32).optImagesPerSplit(3, 1).build().write(root);
        Path list = root.resolve("ImageSets/Segmentation/train.txt");
        Files.write(list, "\uFEFFtrain_000001\r\ntrain_000002\r\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertEquals(2, VocDataset.builder().setRoot(root).setSplit("train").build().size());
        Files.writeString(list, "train_000001\ntrain_000002\ntrain_000001\n");
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> VocDataset.builder().setRoot(root).setSplit("train").build());
        assertTrue(e.getMessage().endsWith("train.txt:3: 'train_000001' is listed again (line 1)"), e.getMessage());
    }
    /** An id whose image was converted to PNG is found; both missing is still an error naming the .jpg. */
    @Test
    void anIdWithoutJpgMayHaveAPngImage(@TempDir Path root) throws IOException {
        SyntheticVoc.builder().optImageSize(32, 24).optImagesPerSplit(2, 1).build().write(root);
        Path jpg = root.resolve("JPEGImages/train_000002.jpg");
        Path png = root.resolve("JPEGImages/train_000002.png");
        ai.wsbcn.pretrained.data.ImageFiles.writeRgb(png, ai.wsbcn.pretrained.data.ImageFiles.readRgb(jpg));
        Files.delete(jpg);
        VocDataset train = VocDataset.builder().setRoot(root).setSplit("train").build();
        assertEquals(png, train.samples().get(1).image());
        assertEquals(32, train.samples().get(1).load().image().width());
        Files.delete(png);
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> VocDataset.builder().setRoot(root).setSplit("train").build());
        assertTrue(e.getMessage().endsWith("train.txt:2: image of 'train_000002' not found: " + jpg), e.getMessage());
    }
}
