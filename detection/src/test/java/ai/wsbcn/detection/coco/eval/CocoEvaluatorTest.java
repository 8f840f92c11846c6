package ai.wsbcn.detection.coco.eval;

import ai.wsbcn.detection.coco.CocoFixture;
import ai.wsbcn.detection.coco.json.CocoDataset;
import ai.wsbcn.detection.coco.json.CocoResults;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Hand-worked evaluation cases. A precision of one true positive is {@code 1 / (1 + eps)}, one ulp below 1, so
 * "perfect" numbers are asserted to 1e-15 and through the printed line.
 */
class CocoEvaluatorTest {

    private static final double ONE = 1e-15;

    /** Objects of all three sizes in two images and two categories. */
    private static CocoFixture threeSizes() {
        return new CocoFixture().image(1, 400, 300).image(2, 400, 300).category(1).category(2)
                .gt(1, 1, 10, 10, 10, 10) // small, 100 px
                .gt(1, 2, 50, 50, 40, 40) // medium, 1600 px
                .gt(2, 1, 100, 100, 120, 120); // large, 14400 px
    }

    @Test
    void perfectDetectionsGiveOne() {
        CocoEvalResult r = threeSizes()
                .det(1, 1, 0.9, 10, 10, 10, 10).det(1, 2, 0.8, 50, 50, 40, 40).det(2, 1, 0.7, 100, 100, 120, 120)
                .evaluate(IouType.BBOX);
        for (double s : r.stats()) {
            assertEquals(1.0, s, ONE);
        }
        // category 2 has one true positive: tp / (tp + fp + eps) with numpy's float64 eps
        assertEquals(1 / (1 + NumpyCompat.EPS), r.precision(0, 0, 1, 0, 2), 0.0);
        assertEquals(0.9999999999999998, r.precision(9, 100, 1, 0, 2), 0.0);
        assertEquals(" Average Precision  (AP) @[ IoU=0.50:0.95 | area=   all | maxDets=100 ] = 1.000",
                r.summaryLines().get(0));
        assertEquals(" Average Recall     (AR) @[ IoU=0.50:0.95 | area= large | maxDets=100 ] = 1.000",
                r.summaryLines().get(11));
    }

    @Test
    void perfectMasksGiveOneToo() {
        CocoEvalResult r = threeSizes()
                .det(1, 1, 0.9, 10, 10, 10, 10).det(1, 2, 0.8, 50, 50, 40, 40).det(2, 1, 0.7, 100, 100, 120, 120)
                .evaluate(IouType.SEGM);
        for (double s : r.stats()) {
            assertEquals(1.0, s, ONE);
        }
    }

    @Test
    void noDetectionsGiveZeroWhereThereIsGroundTruthAndMinusOneElsewhere() {
        CocoEvalResult r = new CocoFixture().image(1, 200, 200).category(1).category(2)
                .gt(1, 1, 10, 10, 40, 40).evaluate(IouType.BBOX);
        double[] s = r.stats();
        // only a medium object: small and large have no ground truth
        double[] expected = {0, 0, 0, -1, 0, -1, 0, 0, 0, -1, 0, -1};
        for (int i = 0; i < 12; i++) {
            assertEquals(expected[i], s[i], 0.0, CocoEvalResult.STAT_NAMES.get(i));
        }
        assertEquals(" Average Precision  (AP) @[ IoU=0.50:0.95 | area= small | maxDets=100 ] = -1.000",
                r.summaryLines().get(3));
        assertEquals(-1, r.categoryAp(1, 0, 10), 0.0, "category 2 has no ground truth");
    }

    @Test
    void detectionsInsideACrowdRegionAreIgnoredNotFalsePositives() {
        CocoFixture f = new CocoFixture().image(1, 300, 300).category(1)
                .gt(1, 1, 10, 10, 40, 40)
                .crowd(1, 1, 100, 100, 150, 150)
                .det(1, 1, 0.9, 10, 10, 40, 40)
                // small boxes inside the crowd region: box IoU with it is tiny, but the crowd rule divides by the
                // detection's own area, so both match the crowd region and are ignored
                .det(1, 1, 0.8, 110, 110, 20, 20)
                .det(1, 1, 0.7, 200, 200, 30, 30);
        CocoEvalResult r = f.evaluate(IouType.BBOX);
        assertEquals(1.0, r.stat("AP"), ONE);
        assertEquals(1.0, r.stat("AR100"), ONE);

        // the same detections against a non-crowd region: two false positives after the true positive
        CocoEvalResult plain = new CocoFixture().image(1, 300, 300).category(1)
                .gt(1, 1, 10, 10, 40, 40).gt(1, 1, 100, 100, 150, 150)
                .det(1, 1, 0.9, 10, 10, 40, 40).det(1, 1, 0.8, 110, 110, 20, 20).det(1, 1, 0.7, 200, 200, 30, 30)
                .evaluate(IouType.BBOX);
        // recall reaches 0.5 with precision 1, the second object is never found: 51 of 101 thresholds
        assertEquals(51 / 101.0, plain.stat("AP50"), 1e-12);
    }

    @Test
    void maxDetsCutsPerImageAndCategory() {
        CocoFixture f = new CocoFixture().image(1, 300, 300).category(1).category(2)
                .gt(1, 1, 0, 0, 50, 50).gt(1, 1, 100, 0, 50, 50).gt(1, 1, 200, 0, 50, 50)
                .gt(1, 2, 0, 100, 50, 50)
                .det(1, 1, 0.9, 0, 0, 50, 50).det(1, 1, 0.8, 100, 0, 50, 50).det(1, 1, 0.7, 200, 0, 50, 50)
                .det(1, 2, 0.6, 0, 100, 50, 50);
        CocoEvalResult r = f.evaluate(IouType.BBOX);
        // maxDets=1 keeps one detection per image AND category: category 1 finds 1 of 3, category 2 its only one
        assertEquals((1 / 3.0 + 1) / 2, r.stat("AR1"), 1e-12);
        assertEquals(1.0, r.stat("AR10"), ONE);
        assertEquals(1.0, r.stat("AR100"), ONE);
    }

    @Test
    void moreThanOneHundredDetectionsPerImageAreCut() {
        CocoFixture f = new CocoFixture().image(1, 1000, 1000).category(1).gt(1, 1, 0, 0, 10, 10);
        for (int i = 0; i < 100; i++) {
            f.det(1, 1, 0.9, 500, 500, 10, 10); // false positives, all scored above the true one
        }
        f.det(1, 1, 0.5, 0, 0, 10, 10);
        assertEquals(0.0, f.evaluate(IouType.BBOX).stat("AR100"), 0.0, "the 101st detection is never seen");
    }

    @Test
    void scoreTiesAcrossImagesGoByImageId() {
        // one false positive and one true positive with the same score, in images 1 and 2
        CocoEvalResult fpFirst = new CocoFixture().image(1, 100, 100).image(2, 100, 100).category(1)
                .gt(1, 1, 0, 0, 20, 20).gt(2, 1, 0, 0, 20, 20)
                .det(2, 1, 0.5, 0, 0, 20, 20).det(1, 1, 0.5, 60, 60, 20, 20)
                .evaluate(IouType.BBOX);
        // sorted: image 1's FP, then image 2's TP -> precision [0, 1/2] made monotone [1/2, 1/2], recall [0, 1/2]:
        // thresholds 0.00..0.50 (51 of 101) read 0.5
        assertEquals(51 * 0.5 / 101, fpFirst.stat("AP50"), 1e-12);

        CocoEvalResult tpFirst = new CocoFixture().image(1, 100, 100).image(2, 100, 100).category(1)
                .gt(1, 1, 0, 0, 20, 20).gt(2, 1, 0, 0, 20, 20)
                .det(2, 1, 0.5, 60, 60, 20, 20).det(1, 1, 0.5, 0, 0, 20, 20)
                .evaluate(IouType.BBOX);
        // sorted: image 1's TP first -> precision 1/(1+eps) up to recall 0.5
        assertEquals(51 / (1 + NumpyCompat.EPS) / 101, tpFirst.stat("AP50"), 1e-12);
    }

    @Test
    void scoreTiesInsideAnImageKeepFileOrder() {
        CocoFixture base = new CocoFixture().image(1, 100, 100).category(1).gt(1, 1, 0, 0, 20, 20)
                .gt(1, 1, 50, 50, 20, 20);
        CocoEvalResult fpFirst = base.det(1, 1, 0.5, 80, 0, 10, 10).det(1, 1, 0.5, 0, 0, 20, 20)
                .evaluate(IouType.BBOX);
        assertEquals(51 * 0.5 / 101, fpFirst.stat("AP50"), 1e-12);
        assertEquals(0.0, fpFirst.stat("AR1"), 0.0, "maxDets=1 keeps the first of the tied detections: the FP");
    }

    @Test
    void categoriesWithoutGroundTruthAreLeftOutOfTheMean() {
        CocoEvalResult r = new CocoFixture().image(1, 100, 100).category(1).category(2).category(3)
                .gt(1, 1, 0, 0, 40, 40)
                .det(1, 1, 0.9, 0, 0, 40, 40)
                .det(1, 3, 0.9, 50, 50, 40, 40) // category 3: detections but no ground truth
                .evaluate(IouType.BBOX);
        assertEquals(1.0, r.stat("AP"), ONE);
        assertEquals(-1, r.categoryAp(1, 0, 10), 0.0);
        assertEquals(-1, r.categoryAp(2, 0, 10), 0.0);
        assertEquals(-1, r.precision(0, 0, 2, 0, 2), 0.0);
        assertEquals(-1, r.recall(0, 2, 0, 2), 0.0);
    }

    @Test
    void areaRangeBoundsAreInclusive() {
        // area fields exactly 32^2 and 96^2: each object is in two ranges
        CocoEvalResult r = new CocoFixture().image(1, 300, 300).category(1)
                .gt(1, 1, 1, 0, 0, 32, 32, 1024, false)
                .gt(2, 1, 1, 100, 100, 96, 96, 9216, false)
                .det(1, 1, 0.9, 0, 0, 32, 32).det(1, 1, 0.8, 100, 100, 96, 96)
                .evaluate(IouType.BBOX);
        assertEquals(1.0, r.stat("APs"), ONE);
        assertEquals(1.0, r.stat("APm"), ONE);
        assertEquals(1.0, r.stat("APl"), ONE);
        assertEquals(1.0, r.stat("ARm"), ONE);

        // an unmatched detection of area exactly 1024 counts as a false positive in "small"
        CocoEvalResult fp = new CocoFixture().image(1, 300, 300).category(1)
                .gt(1, 1, 1, 0, 0, 10, 10, 100, false)
                .det(1, 1, 0.9, 200, 200, 32, 32).det(1, 1, 0.8, 0, 0, 10, 10)
                .evaluate(IouType.BBOX);
        assertEquals(0.5, fp.stat("APs"), 1e-12, "precision 1/2 at every recall");
        assertEquals(-1, fp.stat("APl"), 0.0, "no large ground truth");
    }

    @Test
    void unmatchedDetectionsOutsideTheAreaRangeAreIgnored() {
        CocoEvalResult r = new CocoFixture().image(1, 300, 300).category(1)
                .gt(1, 1, 0, 0, 10, 10)
                .det(1, 1, 0.9, 100, 100, 100, 100) // large false positive
                .det(1, 1, 0.8, 0, 0, 10, 10)
                .evaluate(IouType.BBOX);
        assertEquals(1.0, r.stat("APs"), ONE, "the large false positive does not count in 'small'");
        assertEquals(0.5, r.stat("AP"), 1e-12, "... but does in 'all'");
    }

    @Test
    void amongGroundTruthsOfEqualIouTheLastOneWins() {
        // A = [0,0,10,10] and B = [5,0,10,10]; det1 = [2.5,0,10,10] has IoU 0.6 with both, det2 = [0,0,10,10]
        // (lower score) matches A only. If det1 takes B (the later one) det2 can take A: two true positives.
        CocoEvalResult r = new CocoFixture().image(1, 100, 100).category(1)
                .gt(1, 1, 0, 0, 10, 10).gt(1, 1, 5, 0, 10, 10)
                .det(1, 1, 0.9, 2.5, 0, 10, 10).det(1, 1, 0.8, 0, 0, 10, 10)
                .evaluate(IouType.BBOX);
        assertEquals(1.0, r.precision(0, 100, 0, 0, 2), 0.0, "recall 1 is reached at IoU 0.5");
    }

    @Test
    void aDetectionPrefersARegularGroundTruthOverAnIgnoredOne() {
        // IoU 1 with both (the crowd rule divides by the detection's area); the crowd region comes later and would
        // win a tie, but once a regular match is found the ignored ground truths are not considered
        CocoEvalResult r = new CocoFixture().image(1, 100, 100).category(1)
                .gt(1, 1, 0, 0, 20, 20).crowd(1, 1, 0, 0, 22, 22)
                .det(1, 1, 0.9, 0, 0, 20, 20)
                .evaluate(IouType.BBOX);
        assertEquals(1.0, r.stat("AR100"), ONE);
    }

    @Test
    void aGroundTruthWithIdZeroReadsAsUnmatchedLikeInPycocotools() {
        // pycocotools stores the matched ground-truth id in dtMatches and tests it for truth
        CocoEvalResult r = new CocoFixture().image(1, 100, 100).category(1)
                .gt(0, 1, 1, 0, 0, 20, 20, 400, false)
                .det(1, 1, 0.9, 0, 0, 20, 20)
                .evaluate(IouType.BBOX);
        assertEquals(0.0, r.stat("AP"), 0.0);
        assertEquals(0.0, r.stat("AR100"), 0.0);
    }

    @Test
    void evaluatingASubsetOfImages() {
        CocoFixture f = threeSizes();
        CocoDataset gt = f.groundTruth();
        CocoResults dt = CocoResults.builder(gt, "dt")
                .add(1, 1, new double[] {10, 10, 10, 10}, 0.9).build();
        CocoEvalResult one = CocoEvaluator.builder().setGroundTruth(gt).setResults(dt).setIouType(IouType.BBOX)
                .optImageIds(1).build().run();
        CocoEvalResult all = CocoEvaluator.builder().setGroundTruth(gt).setResults(dt).setIouType(IouType.BBOX)
                .optParallelism(1).build().run();
        // image 1 alone: category 1 fully found, category 2 not at all
        assertEquals(0.5, one.stat("AR100"), 1e-12);
        assertTrue(all.stat("AR100") < one.stat("AR100"));
    }

    @Test
    void perCategoryTableAndLines() {
        CocoEvalResult r = threeSizes().det(1, 1, 0.9, 10, 10, 10, 10).evaluate(IouType.BBOX);
        List<String> table = r.perCategoryLines();
        assertEquals(3, table.size());
        assertTrue(table.get(2).trim().startsWith("2  cat2"), table.get(2));
        assertEquals(12, r.summaryLines().size());
    }
}
