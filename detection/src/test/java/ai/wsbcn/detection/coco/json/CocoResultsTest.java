package ai.wsbcn.detection.coco.json;

import ai.wsbcn.detection.coco.CocoFixture;
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

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Reading results files with pycocotools' loadRes rules. */
class CocoResultsTest {

    @TempDir
    Path dir;

    private final CocoDataset gt = new CocoFixture().image(1, 20, 10).image(2, 20, 10).category(1).category(5)
            .gt(1, 1, 2, 2, 6, 4).groundTruth();

    private CocoResults read(String json) throws IOException {
        Path p = dir.resolve("results.json");
        Files.writeString(p, json);
        return CocoResults.read(p, gt);
    }

    private InvalidInputException fails(String json) throws IOException {
        Path p = dir.resolve("results.json");
        Files.writeString(p, json);
        return assertThrows(InvalidInputException.class, () -> CocoResults.read(p, gt));
    }

    @Test
    void boxResultsGetIdsAreasAndNoCrowd() throws IOException {
        CocoResults r = read("[{\"image_id\": 1, \"category_id\": 1, \"bbox\": [1, 1, 4, 2.5], \"score\": 0.9},"
                + " {\"image_id\": 2, \"category_id\": 5, \"bbox\": [0, 0, 3, 3], \"score\": 0.1, \"area\": 77}]");
        assertTrue(r.boxMode());
        List<CocoAnnotation> d = r.detections();
        assertEquals(2, d.size());
        assertEquals(1, d.get(0).id());
        assertEquals(2, d.get(1).id());
        assertEquals(10.0, d.get(0).area(), "w * h");
        assertEquals(9.0, d.get(1).area(), "the file's area is replaced");
        assertFalse(d.get(1).crowd());
        // without a mask, mask evaluation uses the box as a polygon
        assertEquals(Rle.fromBox(new double[] {1, 1, 4, 2.5}, 10, 20), CocoResults.maskOf(d.get(0), 10, 20));
    }

    @Test
    void maskOnlyResultsGetAreaAndBoxFromTheMask() throws IOException {
        Rle m = Rle.fromPolygon(new double[] {3, 2, 9, 2, 9, 7}, 10, 20);
        CocoResults r = read("[{\"image_id\": 1, \"category_id\": 1, \"score\": 0.9, \"segmentation\":"
                + " {\"size\": [10, 20], \"counts\": \"" + m.toCompressedString() + "\"}}]");
        assertFalse(r.boxMode());
        CocoAnnotation a = r.detections().get(0);
        assertEquals(m.area(), a.area());
        assertArrayEquals(m.toBbox(), a.bbox());
    }

    @Test
    void boxAreaIsUsedEvenForMaskEvaluationWhenTheFirstEntryHasABox() throws IOException {
        Rle m = Rle.fromPolygon(new double[] {3, 2, 9, 2, 9, 7}, 10, 20);
        String seg = "\"segmentation\": {\"size\": [10, 20], \"counts\": \"" + m.toCompressedString() + "\"}";
        CocoResults r = read("[{\"image_id\": 1, \"category_id\": 1, \"score\": 0.9, \"bbox\": [0, 0, 20, 10], "
                + seg + "}]");
        assertEquals(200.0, r.detections().get(0).area());
        assertEquals(m, CocoResults.maskOf(r.detections().get(0), 10, 20));
    }

    @Test
    void theFirstEntryDecidesWhatTheOthersNeed() throws IOException {
        InvalidInputException e = fails("[{\"image_id\": 1, \"category_id\": 1, \"bbox\": [1, 1, 4, 2], \"score\":"
                + " 0.9}, {\"image_id\": 1, \"category_id\": 1, \"score\": 0.5, \"segmentation\": [[1, 1, 5, 1, 5, 5]]}]");
        assertTrue(e.getMessage().endsWith("results[1]: bbox: missing (the first result has a bbox, so every result"
                + " needs one)"), e.getMessage());
        e = fails("[{\"image_id\": 1, \"category_id\": 1, \"score\": 0.9, \"segmentation\": [[1, 1, 5, 1, 5, 5]]},"
                + " {\"image_id\": 1, \"category_id\": 1, \"bbox\": [1, 1, 4, 2], \"score\": 0.5}]");
        assertTrue(e.getMessage().contains("results[1]: segmentation: missing"), e.getMessage());
        // an empty box in the first entry counts as no box (pycocotools tests bbox == [])
        CocoResults r = read("[{\"image_id\": 1, \"category_id\": 1, \"bbox\": [], \"score\": 0.9,"
                + " \"segmentation\": [[1, 1, 5, 1, 5, 5]]}]");
        assertFalse(r.boxMode());
    }

    @Test
    void unknownImagesAreErrorsUnknownCategoriesAreSkipped() throws IOException {
        InvalidInputException e = fails("[{\"image_id\": 3, \"category_id\": 1, \"bbox\": [1, 1, 4, 2], \"score\": 0.9}]");
        assertTrue(e.getMessage().contains("results[0]: image_id: 3 is not an image of the ground truth"),
                e.getMessage());
        CocoResults r = read("[{\"image_id\": 1, \"category_id\": 2, \"bbox\": [1, 1, 4, 2], \"score\": 0.9},"
                + " {\"image_id\": 1, \"category_id\": 1, \"bbox\": [1, 1, 4, 2], \"score\": 0.8}]");
        assertEquals(1, r.detections().size());
        assertEquals(2, r.detections().get(0).id(), "ids count every entry of the file");
        assertTrue(r.warnings().get(0).toString().contains("results[0]: category_id: 2 is not a category"));
    }

    @Test
    void missingFieldsAndBadFiles() throws IOException {
        assertTrue(fails("[{\"image_id\": 1, \"category_id\": 1, \"bbox\": [1, 1, 4, 2]}]").getMessage()
                .endsWith("results[0]: score: missing"));
        assertTrue(fails("[{\"category_id\": 1, \"bbox\": [1, 1, 4, 2], \"score\": 1}]").getMessage()
                .endsWith("results[0]: image_id: missing"));
        assertTrue(fails("{\"image_id\": 1}").getMessage().contains("a results file is a list of detections"));
        assertTrue(fails("[{\"image_id\": 1, \"category_id\": 1, \"bbox\": [1, 1, 4, 2], \"score\": 0.9},")
                .getMessage().contains("not valid JSON"));
    }

    @Test
    void emptyResultsEvaluateToZero() throws IOException {
        CocoResults r = read("[]");
        assertEquals(1, r.warnings().size());
        CocoEvalResult e = CocoEvaluator.builder().setGroundTruth(gt).setResults(r).setIouType(IouType.BBOX).build()
                .run();
        assertEquals(0.0, e.stat("AP"), 0.0);
    }

    @Test
    void zeroSizeBoxesAreKeptAsFalsePositivesWithAWarning() throws IOException {
        CocoResults r = read("[{\"image_id\": 1, \"category_id\": 1, \"bbox\": [1, 1, 0, 2], \"score\": 0.9},"
                + " {\"image_id\": 1, \"category_id\": 1, \"bbox\": [2, 2, 6, 4], \"score\": 0.8}]");
        assertEquals(2, r.detections().size());
        assertEquals(1, r.warnings().size());
        CocoEvalResult e = CocoEvaluator.builder().setGroundTruth(gt).setResults(r).setIouType(IouType.BBOX).build()
                .run();
        assertEquals(0.5, e.stat("AP50"), 1e-12, "precision 1/2 at every recall");
    }

    @Test
    void writerRoundTripsResults() throws IOException {
        Rle m = Rle.fromPolygon(new double[] {3, 2, 9, 2, 9, 7}, 10, 20);
        CocoResults r = CocoResults.builder(gt, "mem").add(1, 1, new double[] {3, 2, 6, 5}, 0.75, m)
                .add(2, 5, new double[] {0, 0, 1, 1}, 0.25).build();
        Path out = dir.resolve("out.json");
        CocoJsonWriter.writeResults(r.detections(), out);
        CocoResults back = CocoResults.read(out, gt);
        assertEquals(r.detections().toString(), back.detections().toString());
        assertEquals(m, CocoResults.maskOf(back.detections().get(0), 10, 20));
    }

    @Test
    void countsWrittenAsStrOfPythonBytesAreNamedAsSuch() throws IOException {
        String counts = Rle.fromBox(new double[] {1, 1, 4, 3}, 10, 20).toCompressedString();
        InvalidInputException e = fails("[{\"image_id\": 1, \"category_id\": 1, \"score\": 0.9,"
                + " \"segmentation\": {\"size\": [10, 20], \"counts\": \"b'" + counts + "'\"}}]");
        assertTrue(e.getMessage().contains("results[0]: segmentation: counts:"), e.getMessage());
        assertTrue(e.getMessage().contains("counts.decode('ascii')"), e.getMessage());
    }

    @Test
    void maskEvaluationNamesTheFirstUnusableMaskInFileOrder() throws IOException {
        String bad = "\"segmentation\": {\"size\": [10, 20], \"counts\": \"b'x'\"}";
        // the first has no ground truth to be compared with, so no IoU would have decoded it
        CocoResults r = read("[{\"image_id\": 2, \"category_id\": 5, \"bbox\": [1, 1, 4, 3], \"score\": 0.9, "
                + bad + "}, {\"image_id\": 1, \"category_id\": 1, \"bbox\": [1, 1, 4, 3], \"score\": 0.8, " + bad
                + "}]");
        assertEquals(2, r.warnings().size(), "both named as they are read");
        for (int run = 0; run < 5; run++) {
            InvalidInputException e = assertThrows(InvalidInputException.class, () -> CocoEvaluator.builder()
                    .setGroundTruth(gt).setResults(r).setIouType(IouType.SEGM).build().run());
            assertTrue(e.getMessage().contains("results[0]: segmentation: counts:"), e.getMessage());
        }
    }
}
