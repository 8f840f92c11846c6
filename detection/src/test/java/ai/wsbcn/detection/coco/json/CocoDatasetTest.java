package ai.wsbcn.detection.coco.json;

import ai.wsbcn.detection.coco.eval.CocoEvalResult;
import ai.wsbcn.detection.coco.eval.CocoEvaluator;
import ai.wsbcn.detection.coco.eval.IouType;
import ai.wsbcn.detection.coco.mask.Rle;
import ai.wsbcn.util.InvalidInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Reading instances files: what is an error, what is skipped or kept with a warning (see the README table). */
class CocoDatasetTest {

    @TempDir
    Path dir;

    private static final String IMAGES = "\"images\": [{\"id\": 1, \"file_name\": \"a.jpg\", \"width\": 10,"
            + " \"height\": 8}, {\"id\": 2, \"file_name\": \"b.jpg\", \"width\": 4, \"height\": 3}]";
    private static final String CATEGORIES = "\"categories\": [{\"id\": 3, \"name\": \"cat\"}, {\"id\": 7,"
            + " \"name\": \"dog\", \"supercategory\": \"animal\"}]";

    private Path write(String name, String json) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, json);
        return p;
    }

    private Path instances(String annotations) throws IOException {
        return write("instances.json", "{" + IMAGES + ", " + CATEGORIES + ", \"annotations\": [" + annotations
                + "], \"info\": {\"year\": 2017}}");
    }

    private static String ann(String fields) {
        return "{\"id\": 11, \"image_id\": 1, \"category_id\": 3, \"bbox\": [1, 2, 3, 4], \"area\": 12,"
                + " \"iscrowd\": 0" + (fields.isEmpty() ? "" : ", " + fields) + "}";
    }

    private InvalidInputException readFails(String annotations) throws IOException {
        Path p = instances(annotations);
        return assertThrows(InvalidInputException.class, () -> CocoDataset.read(p));
    }

    @Test
    void readsAllThreeSegmentationForms() throws IOException {
        String rle = new Rle(3, 4, new int[] {1, 5, 6}).toCompressedString();
        CocoDataset d = CocoDataset.read(instances(
                ann("\"segmentation\": [[1, 2, 4, 2, 4, 6]]") + ","
                + "{\"id\": 12, \"image_id\": 2, \"category_id\": 7, \"bbox\": [0, 0, 2, 3], \"area\": 5,"
                + " \"iscrowd\": 1, \"segmentation\": {\"size\": [3, 4], \"counts\": [1, 5, 6]}},"
                + "{\"id\": 13, \"image_id\": 2, \"category_id\": 3, \"bbox\": [0, 0, 2, 3], \"area\": 5,"
                + " \"iscrowd\": false, \"segmentation\": {\"size\": [3, 4], \"counts\": \"" + rle + "\"}}"));
        assertEquals(2, d.images().size());
        assertEquals(List.of(3L, 7L), d.categories().stream().map(CocoCategory::id).toList());
        assertEquals("animal", d.category(7).orElseThrow().supercategory());
        assertEquals(3, d.annotations().size());
        assertTrue(d.warnings().isEmpty(), d.warnings().toString());
        CocoAnnotation a = d.annotations().get(0);
        assertEquals(12.0, a.area());
        assertInstanceOf(Segmentation.Polygons.class, a.segmentation());
        CocoAnnotation crowd = d.annotations().get(1);
        assertTrue(crowd.crowd());
        Rle u = crowd.segmentation().toRle(3, 4);
        assertEquals(u, d.annotations().get(2).segmentation().toRle(3, 4), "uncompressed and compressed agree");
        assertEquals(5, u.area());
        assertEquals(List.of(d.annotations().get(1), d.annotations().get(2)), d.annotationsOf(2));
    }

    @Test
    void truncatedJsonNamesTheFileAndThePosition() throws IOException {
        Path p = write("cut.json", "{\"images\": [{\"id\": 1, \"width\": 10, \"height\": 8}], \"annotations\": [{\"id\"");
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> CocoDataset.read(p));
        assertTrue(e.getMessage().startsWith(p.toString() + ": not valid JSON"), e.getMessage());
        assertTrue(e.getMessage().contains("annotations[0]"), e.getMessage());
    }

    @Test
    void missingFileAndWrongTopLevel() throws IOException {
        assertTrue(assertThrows(InvalidInputException.class, () -> CocoDataset.read(dir.resolve("none.json")))
                .getMessage().contains("file not found"));
        Path list = write("list.json", "[]");
        assertTrue(assertThrows(InvalidInputException.class, () -> CocoDataset.read(list)).getMessage()
                .contains("top level: expected an object, got a list"));
        Path noImages = write("noimages.json", "{" + CATEGORIES + ", \"annotations\": []}");
        assertTrue(assertThrows(InvalidInputException.class, () -> CocoDataset.read(noImages)).getMessage()
                .contains("images: missing"));
    }

    @Test
    void missingAndMistypedFieldsAreErrorsNamingIndexAndField() throws IOException {
        String noBox = "{\"id\": 12, \"image_id\": 1, \"category_id\": 3, \"area\": 1, \"iscrowd\": 0}";
        InvalidInputException e = readFails(ann("") + ", " + noBox);
        assertEquals(dir.resolve("instances.json") + ": annotations[1] (id 12): bbox: missing", e.getMessage());
        e = readFails(ann("").replace("\"bbox\": [1, 2, 3, 4]", "\"bbox\": [1, 2, 3]"));
        assertTrue(e.getMessage().endsWith("annotations[0]: bbox: expected 4 numbers, got 3"), e.getMessage());
        e = readFails(ann("").replace("\"area\": 12", "\"area\": \"12\""));
        assertTrue(e.getMessage().endsWith("annotations[0]: area: expected a number, got a string"), e.getMessage());
        e = readFails(ann("").replace("\"iscrowd\": 0", "\"iscrowd\": 2"));
        assertTrue(e.getMessage().endsWith("iscrowd: must be 0 or 1, got 2"), e.getMessage());
        e = readFails(ann("").replace("\"id\": 11, ", ""));
        assertTrue(e.getMessage().endsWith("annotations[0]: id: missing"), e.getMessage());
        e = readFails(ann("").replace("\"image_id\": 1", "\"image_id\": 1.5"));
        assertTrue(e.getMessage().endsWith("image_id: expected an integer id"), e.getMessage());
    }

    @Test
    void repeatedIdsAreErrors() throws IOException {
        assertTrue(readFails(ann("") + ", " + ann("")).getMessage()
                .contains("annotations[1] (id 11): id: annotation id 11 appears twice"));
        Path p = write("dupimg.json", "{\"images\": [{\"id\": 1, \"width\": 2, \"height\": 2}, {\"id\": 1,"
                + " \"width\": 2, \"height\": 2}], " + CATEGORIES + ", \"annotations\": []}");
        assertTrue(assertThrows(InvalidInputException.class, () -> CocoDataset.read(p)).getMessage()
                .contains("images[1]: id: image id 1 appears twice"));
    }

    @Test
    void unresolvedIdsAreSkippedWithAWarning() throws IOException {
        CocoDataset d = CocoDataset.read(instances(ann("") + ", " + ann("").replace("\"id\": 11", "\"id\": 12")
                .replace("\"image_id\": 1", "\"image_id\": 99") + ", " + ann("").replace("\"id\": 11", "\"id\": 13")
                .replace("\"category_id\": 3", "\"category_id\": 4")));
        assertEquals(1, d.annotations().size());
        assertEquals(2, d.warnings().size());
        assertEquals("annotations[1] (id 12)", d.warnings().get(0).location());
        assertTrue(d.warnings().get(0).message().startsWith("image_id: no image has id 99"));
        assertTrue(d.warnings().get(1).toString().contains("annotations[2] (id 13): category_id: no category has id 4"));
    }

    @Test
    void emptyBoxesAreKeptWithAWarning() throws IOException {
        CocoDataset d = CocoDataset.read(instances(ann("").replace("[1, 2, 3, 4]", "[1, 2, 0, 4]")));
        assertEquals(1, d.annotations().size());
        assertTrue(d.warnings().get(0).message().startsWith("bbox: width and height should be positive"));
    }

    @Test
    void unusableMasksFailOnlyWhenMasksAreUsed() throws IOException {
        CocoDataset d = CocoDataset.read(instances(ann("\"segmentation\": [[1, 2, 4, 2]]") + ", "
                + ann("\"segmentation\": {\"size\": [8, 10], \"counts\": [3, 4]}").replace("\"id\": 11", "\"id\": 12")
                + ", " + ann("\"segmentation\": {\"size\": [3, 4], \"counts\": [12]}").replace("\"id\": 11",
                "\"id\": 13")));
        assertEquals(3, d.annotations().size());
        assertEquals(3, d.warnings().size(), d.warnings().toString());
        assertTrue(d.warnings().get(0).message().contains("polygon 0 has 2 points"), d.warnings().toString());
        assertTrue(d.warnings().get(1).message().contains("counts sum to 7 but size 8x10 has 80 pixels"));
        assertTrue(d.warnings().get(2).message().contains("differs from the image's [8, 10]"));
        Segmentation bad = d.annotations().get(0).segmentation();
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> bad.toRle(8, 10));
        assertTrue(e.getMessage().contains("instances.json: annotations[0] (id 11): segmentation: polygon 0"),
                e.getMessage());

        // box evaluation does not look at masks; mask evaluation fails naming the annotation
        CocoResults none = CocoResults.builder(d, "dt").build();
        CocoEvaluator.builder().setGroundTruth(d).setResults(none).setIouType(IouType.BBOX).build().run();
        CocoEvaluator segm = CocoEvaluator.builder().setGroundTruth(d).setResults(none).setIouType(IouType.SEGM)
                .build();
        assertThrows(InvalidInputException.class, segm::run);
    }

    @Test
    void oddOrShortLaterPolygonPartsAreRasterisedWithAWarning() throws IOException {
        CocoDataset d = CocoDataset.read(instances(ann("\"segmentation\": [[1, 1, 6, 1, 6, 5, 3], [2, 2]]")));
        assertEquals(1, d.warnings().size());
        assertTrue(d.warnings().get(0).message().contains("odd number of coordinates"));
        // the seventh coordinate is dropped, as pycocotools does; the 1-point part adds nothing
        assertEquals(Rle.fromPolygon(new double[] {1, 1, 6, 1, 6, 5}, 8, 10),
                d.annotations().get(0).segmentation().toRle(8, 10));
    }

    @Test
    void missingAnnotationsListAndDuplicateCategoriesAreWarnings() throws IOException {
        Path p = write("test.json", "{" + IMAGES + ", \"categories\": [{\"id\": 3}, {\"id\": 3, \"name\": \"x\"}]}");
        CocoDataset d = CocoDataset.read(p);
        assertEquals(0, d.annotations().size());
        assertEquals(1, d.categories().size());
        assertEquals("", d.category(3).orElseThrow().name());
        assertEquals(2, d.warnings().size());
    }

    @Test
    void theIgnoreFieldIsReplacedByIscrowd() throws IOException {
        // "ignore": 1 on a regular object is not read; "ignore": 0 on a crowd region does not make it regular
        CocoDataset d = CocoDataset.read(instances(ann("\"ignore\": 1") + ", "
                + ann("\"ignore\": 0").replace("\"id\": 11", "\"id\": 12").replace("\"iscrowd\": 0", "\"iscrowd\": 1")
                .replace("[1, 2, 3, 4]", "[5, 5, 3, 3]")));
        CocoResults dt = CocoResults.builder(d, "dt").add(1, 3, new double[] {1, 2, 3, 4}, 0.9)
                .add(1, 3, new double[] {5, 5, 3, 3}, 0.8).build();
        CocoEvalResult r = CocoEvaluator.builder().setGroundTruth(d).setResults(dt).setIouType(IouType.BBOX).build()
                .run();
        assertEquals(1.0, r.stat("AP"), 1e-15, "one regular object found, the crowd match is ignored");
        assertEquals(1.0, r.stat("AR100"), 1e-15);
    }

    @Test
    void writerRoundTrips() throws IOException {
        String rle = new Rle(3, 4, new int[] {1, 5, 6}).toCompressedString();
        CocoDataset d = CocoDataset.read(instances(ann("\"segmentation\": [[1, 2, 4, 2, 4, 6]]") + ","
                + "{\"id\": 12, \"image_id\": 2, \"category_id\": 7, \"bbox\": [0, 0, 2, 3], \"area\": 5,"
                + " \"iscrowd\": 1, \"segmentation\": {\"size\": [3, 4], \"counts\": [1, 5, 6]}},"
                + "{\"id\": 13, \"image_id\": 2, \"category_id\": 3, \"bbox\": [0, 0, 2.5, 3], \"area\": 5,"
                + " \"iscrowd\": 0, \"segmentation\": {\"size\": [3, 4], \"counts\": \"" + rle + "\"}}"));
        Path out = dir.resolve("out.json");
        CocoJsonWriter.writeDataset(d, out);
        CocoDataset back = CocoDataset.read(out);
        assertEquals(d.images(), back.images());
        assertEquals(d.categories(), back.categories());
        for (int i = 0; i < 3; i++) {
            CocoAnnotation a = d.annotations().get(i);
            CocoAnnotation b = back.annotations().get(i);
            assertEquals(a.toString(), b.toString());
            assertEquals(a.segmentation().toRle(8, 10), b.segmentation().toRle(8, 10));
        }
        assertNull(back.image(5).orElse(null));
    }
}
