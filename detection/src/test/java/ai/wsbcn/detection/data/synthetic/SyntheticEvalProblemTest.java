package ai.wsbcn.detection.data.synthetic;

import ai.wsbcn.detection.coco.eval.CocoEvaluator;
import ai.wsbcn.detection.coco.eval.IouType;
import ai.wsbcn.detection.coco.json.CocoAnnotation;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SyntheticEvalProblemTest {

    @Test
    void shapeOfTheProblemAndDeterminism() {
        SyntheticEvalProblem.Problem p = SyntheticEvalProblem.builder().optImages(40).optCategories(6)
                .optDetectionsPerImage(30).optMasks(true).optSeed(9).build().generate();
        assertEquals(40, p.groundTruth().images().size());
        assertEquals(6, p.groundTruth().categories().size());
        assertEquals(40 * 30, p.results().detections().size());
        assertTrue(p.groundTruth().warnings().isEmpty(), p.groundTruth().warnings().toString());
        assertTrue(p.results().warnings().isEmpty(), p.results().warnings().toString());
        int n = p.groundTruth().annotations().size();
        assertTrue(n > 40 * 4 && n < 40 * 11, "about 7.3 objects per image: " + n);

        SyntheticEvalProblem.Problem again = SyntheticEvalProblem.builder().optImages(40).optCategories(6)
                .optDetectionsPerImage(30).optMasks(true).optSeed(9).build().generate();
        for (int i = 0; i < n; i++) {
            CocoAnnotation a = p.groundTruth().annotations().get(i);
            CocoAnnotation b = again.groundTruth().annotations().get(i);
            assertEquals(a.toString(), b.toString());
        }
        double[] s1 = CocoEvaluator.builder().setGroundTruth(p.groundTruth()).setResults(p.results())
                .setIouType(IouType.SEGM).build().run().stats();
        double[] s2 = CocoEvaluator.builder().setGroundTruth(again.groundTruth()).setResults(again.results())
                .setIouType(IouType.SEGM).build().run().stats();
        assertArrayEquals(s1, s2, 0.0);
        assertTrue(s1[1] > 0.2, "noisy copies of the objects are found at IoU 0.5: " + s1[1]);
    }
}
