package ai.wsbcn.detection.coco;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.dataset.Record;
import ai.wsbcn.detection.coco.json.CocoAnnotation;
import ai.wsbcn.detection.coco.json.CocoCategory;
import ai.wsbcn.detection.coco.json.CocoDataset;
import ai.wsbcn.detection.coco.json.CocoImage;
import ai.wsbcn.detection.coco.json.Segmentation;
import ai.wsbcn.detection.coco.mask.Rle;
import ai.wsbcn.detection.data.synthetic.ShapeKind;
import ai.wsbcn.detection.data.synthetic.SyntheticImage;
import ai.wsbcn.detection.data.synthetic.SyntheticShapes;
import ai.wsbcn.norm.testing.TestEngines;
import ai.wsbcn.util.InvalidInputException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CocoDetectionTest {

    @TempDir
    static Path root;

    private static SyntheticShapes gen;
    private static SyntheticShapes.Layout layout;

    @BeforeAll
    static void writeData() throws IOException {
        gen = SyntheticShapes.builder().optImageSize(48, 40).optImagesPerSplit(1, 3).optSeed(2)
                .optShapes(ShapeKind.SQUARE, ShapeKind.CIRCLE).build();
        layout = gen.write(root);
    }

    private static CocoDetection dataset(boolean masks) {
        return CocoDetection.builder().setAnnotations(layout.annotations(SyntheticShapes.Split.VAL))
                .setImageRoot(layout.imageDir(SyntheticShapes.Split.VAL)).optIncludeMasks(masks)
                .setSampling(1, false).build();
    }

    @ParameterizedTest
    @MethodSource("ai.wsbcn.norm.testing.TestEngines#names")
    void itemsCarryImageBoxesLabelsAndMasks(String engine) throws IOException {
        CocoDetection ds = dataset(true);
        assertEquals(3, ds.size());
        try (NDManager manager = TestEngines.manager(engine)) {
            for (int i = 0; i < 3; i++) {
                Record rec = ds.get(manager, i);
                SyntheticImage expected = gen.render(SyntheticShapes.Split.VAL, i);
                NDArray image = rec.getData().get("image");
                assertEquals(new Shape(40, 48, 3), image.getShape());
                assertEquals(DataType.UINT8, image.getDataType());
                byte[] rgb = image.toByteArray();
                byte[] bgr = expected.bgr();
                for (int p = 0; p < rgb.length; p += 3) {
                    assertEquals(bgr[p + 2], rgb[p]);
                    assertEquals(bgr[p], rgb[p + 2]);
                }
                NDList target = rec.getLabels();
                List<CocoAnnotation> anns = ds.annotations(i);
                int n = anns.size();
                assertEquals(expected.instances().size(), n);
                assertEquals(new Shape(n, 4), target.get("boxes").getShape());
                float[] boxes = target.get("boxes").toFloatArray();
                long[] labels = target.get("labels").toLongArray();
                byte[] masks = target.get("masks").toByteArray();
                assertEquals(new Shape(n, 40, 48), target.get("masks").getShape());
                assertEquals(ds.image(i).id(), target.get("image_id").toLongArray()[0]);
                for (int j = 0; j < n; j++) {
                    double[] b = anns.get(j).bbox();
                    assertArrayEquals(new float[] {(float) b[0], (float) b[1], (float) (b[0] + b[2]),
                        (float) (b[1] + b[3])}, new float[] {boxes[4 * j], boxes[4 * j + 1], boxes[4 * j + 2],
                            boxes[4 * j + 3]});
                    String kind = expected.instances().get(j).kind().categoryName();
                    assertEquals(kind, ds.categories().name((int) labels[j]));
                    byte[] m = expected.instances().get(j).visibleMask().decodeRowMajor();
                    for (int p = 0; p < m.length; p++) {
                        assertEquals(m[p], masks[j * m.length + p]);
                    }
                }
            }
        }
    }

    @Test
    void labelsAreContiguousInIdOrder() {
        CategoryMapping m = CategoryMapping.of(List.of(new CocoCategory(90, "z", ""), new CocoCategory(1, "a", ""),
                new CocoCategory(7, "m", "")));
        assertEquals(3, m.size());
        assertEquals(1, m.label(1));
        assertEquals(2, m.label(7));
        assertEquals(3, m.label(90));
        assertEquals(90, m.categoryId(3));
        assertEquals(List.of("a", "m", "z"), m.names());
        assertThrows(IllegalArgumentException.class, () -> m.label(8));
    }

    @Test
    void withoutMasksThereIsNoMaskArray() throws IOException {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDList target = dataset(false).get(manager, 0).getLabels();
            assertEquals(List.of("boxes", "labels", "image_id"), target.stream().map(NDArray::getName).toList());
        }
    }

    private static CocoDataset oneImage(String fileName) {
        return CocoDataset.builder("escape.json").addImage(new CocoImage(1, fileName, 10, 10))
                .addCategory(new CocoCategory(1, "x", "")).build();
    }

    private static CocoDetection.Builder over(CocoDataset d) {
        return CocoDetection.builder().setDataset(d).setImageRoot(layout.imageDir(SyntheticShapes.Split.VAL))
                .setSampling(1, false);
    }

    @Test
    void fileNamesMustStayUnderTheImageRoot() {
        for (String bad : new String[] {"../train/000001.png", "/etc/passwd", "a/../../x.png", ".", ""}) {
            InvalidInputException e = assertThrows(InvalidInputException.class, () -> over(oneImage(bad)).build(),
                    bad);
            assertTrue(e.getMessage().startsWith("escape.json: images[0] (id 1): file_name"), e.getMessage());
        }
        // a sub-folder that stays inside is fine
        over(oneImage("sub/../000001.png")).build();
    }

    @Test
    void missingOrMismatchedImagesAreUserErrors() throws IOException {
        try (NDManager manager = NDManager.newBaseManager()) {
            CocoDetection missing = over(oneImage("nothere.png")).build();
            assertTrue(assertThrows(InvalidInputException.class, () -> missing.get(manager, 0)).getMessage()
                    .contains("image file not found"));
            CocoDetection wrongSize = over(oneImage("000001.png")).build();
            assertTrue(assertThrows(InvalidInputException.class, () -> wrongSize.get(manager, 0)).getMessage()
                    .contains("image is 48x40 but escape.json says 10x10"));
            Path junk = layout.imageDir(SyntheticShapes.Split.VAL).resolve("junk.png");
            Files.writeString(junk, "not a png");
            CocoDetection undecodable = over(oneImage("junk.png")).build();
            assertTrue(assertThrows(InvalidInputException.class, () -> undecodable.get(manager, 0)).getMessage()
                    .contains("not an image OpenCV can decode"));
        }
    }

    @Test
    void crowdAndEmptyBoxesAreLeftOutAndEmptyImagesCanBeSkipped() {
        CocoDataset d = CocoDataset.builder("t.json").addImage(new CocoImage(1, "000001.png", 48, 40))
                .addImage(new CocoImage(2, "000002.png", 48, 40)).addCategory(new CocoCategory(1, "x", ""))
                .addAnnotation(CocoAnnotation.groundTruth(1, 1, 1, new double[] {1, 1, 5, 5}, 25, false, null))
                .addAnnotation(CocoAnnotation.groundTruth(2, 1, 1, new double[] {1, 1, 5, 5}, 25, true, null))
                .addAnnotation(CocoAnnotation.groundTruth(3, 1, 1, new double[] {60, 1, 5, 5}, 25, false, null))
                .addAnnotation(CocoAnnotation.groundTruth(4, 2, 1, new double[] {1, 1, 5, 5}, 25, true, null))
                .build();
        CocoDetection ds = over(d).optIncludeMasks(false).optSkipEmptyImages(true).build();
        assertEquals(1, ds.size());
        assertEquals(List.of(1L), ds.annotations(0).stream().map(CocoAnnotation::id).toList());
        assertEquals(1, ds.skipped().size(), "the box outside the image");
        CocoDetection withMasks = over(d).build();
        assertEquals(2, withMasks.size());
        assertEquals(0, withMasks.annotations(0).size(), "no masks: skipped when masks are asked for");
        CocoDetection crowd = over(d).optIncludeMasks(false).optIncludeCrowd(true).build();
        assertEquals(2, crowd.annotations(0).size());
    }

    /** A mask of another size than its image is skipped with one message that names the file once. */
    @Test
    void anUnusableMaskIsSkippedWithItsReason() {
        CocoDataset d = CocoDataset.builder("t.json").addImage(new CocoImage(1, "000001.png", 48, 40))
                .addCategory(new CocoCategory(1, "x", ""))
                .addAnnotation(CocoAnnotation.groundTruth(5, 1, 1, new double[] {1, 1, 5, 5}, 25, false,
                        new Segmentation.UncompressedRle(new Rle(10, 10, new int[] {100}))))
                .build();
        CocoDetection ds = over(d).build();
        assertEquals(0, ds.annotations(0).size());
        String w = ds.skipped().get(0).toString();
        assertTrue(w.startsWith("t.json: annotation id 5 (image id 1): segmentation: size [10, 10] differs from the"
                + " image's [40, 48]") && w.endsWith("; skipped"), w);
        assertEquals(w.indexOf("t.json"), w.lastIndexOf("t.json"), w);
    }
}
