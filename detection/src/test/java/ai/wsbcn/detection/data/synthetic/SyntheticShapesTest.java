package ai.wsbcn.detection.data.synthetic;

import ai.wsbcn.detection.coco.json.CocoAnnotation;
import ai.wsbcn.detection.coco.json.CocoCategory;
import ai.wsbcn.detection.coco.json.CocoDataset;
import ai.wsbcn.detection.coco.json.Segmentation;
import ai.wsbcn.detection.coco.mask.Rle;
import ai.wsbcn.pretrained.data.ImageFiles;
import ai.wsbcn.pretrained.data.RgbImage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SyntheticShapesTest {

    @TempDir
    Path dir;

    private static SyntheticShapes.Builder small() {
        return SyntheticShapes.builder().optImageSize(72, 56).optImagesPerSplit(6, 3).optShapesPerImage(3, 7)
                .optRadiusRange(0.08, 0.4);
    }

    @Test
    void masksInTheJsonAreExactlyThePaintedPixels() throws IOException {
        SyntheticShapes gen = small().optSeed(5).build();
        SyntheticShapes.Layout layout = gen.write(dir);
        int occluded = 0;
        int polygons = 0;
        for (SyntheticShapes.Split split : SyntheticShapes.Split.values()) {
            CocoDataset d = CocoDataset.read(layout.annotations(split));
            assertTrue(d.warnings().isEmpty(), d.warnings().toString());
            assertEquals(gen.imageCount(split), d.images().size());
            for (int i = 0; i < gen.imageCount(split); i++) {
                SyntheticImage im = gen.render(split, i);
                List<CocoAnnotation> anns = d.annotationsOf(i + 1L);
                assertEquals(im.instances().size(), anns.size());
                RgbImage png = ImageFiles.readRgb(layout.imageDir(split).resolve(
                        d.image(i + 1L).orElseThrow().fileName()));
                byte[] union = new byte[56 * 72];
                for (int j = 0; j < anns.size(); j++) {
                    CocoAnnotation a = anns.get(j);
                    SyntheticInstance inst = im.instances().get(j);
                    Rle m = a.segmentation().toRle(56, 72);
                    assertEquals(inst.visibleMask(), m, "mask of annotation " + a.id());
                    assertEquals(m.area(), a.area(), 0.0);
                    assertArrayEquals(m.toBbox(), a.bbox());
                    assertEquals(inst.kind().categoryName(), d.category(a.categoryId()).orElseThrow().name());
                    if (a.segmentation() instanceof Segmentation.Polygons) {
                        polygons++;
                        assertFalse(inst.occluded());
                    } else {
                        assertInstanceOf(Segmentation.CompressedRle.class, a.segmentation());
                        occluded += inst.occluded() ? 1 : 0;
                    }
                    byte[] rows = m.decodeRowMajor();
                    for (int p = 0; p < rows.length; p++) {
                        if (rows[p] == 0) {
                            continue;
                        }
                        assertEquals(0, union[p], "instances do not overlap");
                        union[p] = 1;
                        // PNG is lossless: every visible pixel has the instance's colour (RGB vs BGR)
                        assertEquals(inst.colorBgr()[2], png.rgb()[3 * p] & 0xff);
                        assertEquals(inst.colorBgr()[1], png.rgb()[3 * p + 1] & 0xff);
                        assertEquals(inst.colorBgr()[0], png.rgb()[3 * p + 2] & 0xff);
                    }
                }
            }
        }
        assertTrue(occluded > 0, "some shapes are partly hidden");
        assertTrue(polygons > 0, "fully visible shapes keep their polygon");
    }

    @Test
    void sameSeedSameFilesOtherSeedOtherFiles() throws IOException {
        small().optSeed(11).build().write(dir.resolve("a"));
        small().optSeed(11).build().write(dir.resolve("b"));
        small().optSeed(12).build().write(dir.resolve("c"));
        List<Path> files;
        try (Stream<Path> s = Files.walk(dir.resolve("a"))) {
            files = s.filter(Files::isRegularFile).map(dir.resolve("a")::relativize).sorted().toList();
        }
        assertEquals(2 + 6 + 3, files.size());
        boolean anyDifferent = false;
        for (Path f : files) {
            byte[] a = Files.readAllBytes(dir.resolve("a").resolve(f));
            assertArrayEquals(a, Files.readAllBytes(dir.resolve("b").resolve(f)), f.toString());
            anyDifferent |= !Arrays.equals(a, Files.readAllBytes(dir.resolve("c").resolve(f)));
        }
        assertTrue(anyDifferent);
    }

    @Test
    void hiddenShapesAreDroppedAndCategoriesFollowTheKinds() {
        SyntheticShapes lenient = small().optSeed(3).optShapesPerImage(8, 8).optMinVisible(1, 0).build();
        SyntheticShapes strict = small().optSeed(3).optShapesPerImage(8, 8).optMinVisible(1, 0.9).build();
        int kept = 0;
        int keptStrict = 0;
        for (int i = 0; i < 6; i++) {
            kept += lenient.render(SyntheticShapes.Split.TRAIN, i).instances().size();
            keptStrict += strict.render(SyntheticShapes.Split.TRAIN, i).instances().size();
        }
        assertTrue(keptStrict < kept, keptStrict + " vs " + kept);
        SyntheticShapes two = small().optShapes(ShapeKind.STAR, ShapeKind.HEXAGON).build();
        assertEquals(List.of(new CocoCategory(1, "star", "shape"), new CocoCategory(2, "hexagon", "shape")),
                two.categories());
        for (SyntheticInstance s : two.render(SyntheticShapes.Split.VAL, 0).instances()) {
            assertTrue(s.kind() == ShapeKind.STAR || s.kind() == ShapeKind.HEXAGON);
        }
    }

    @Test
    void jpegAndRleOptions() throws IOException {
        SyntheticShapes gen = small().optImagesPerSplit(2, 1).optImageFormat(SyntheticShapes.ImageFormat.JPEG)
                .optSegmentationFormat(SyntheticShapes.SegmentationFormat.RLE).build();
        SyntheticShapes.Layout layout = gen.write(dir);
        assertTrue(Files.isRegularFile(layout.imageDir(SyntheticShapes.Split.VAL).resolve("000001.jpg")));
        CocoDataset d = CocoDataset.read(layout.annotations(SyntheticShapes.Split.TRAIN));
        for (CocoAnnotation a : d.annotations()) {
            assertInstanceOf(Segmentation.CompressedRle.class, a.segmentation());
        }
        assertEquals(56, ImageFiles.readRgb(layout.imageDir(SyntheticShapes.Split.TRAIN).resolve("000002.jpg"))
                .height());
    }
}
