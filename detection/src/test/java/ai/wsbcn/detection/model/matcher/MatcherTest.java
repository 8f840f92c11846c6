package ai.wsbcn.detection.model.matcher;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/** Hand cases of torchvision's Matcher semantics (exact). */
class MatcherTest {

    // 2 gt x 6 predictions
    private static final float[] IOU = {
        0.9f, 0.5f, 0.2f, 0.65f, 0.0f, 0.29f,
        0.1f, 0.6f, 0.25f, 0.65f, 0.0f, 0.3f,
    };

    @Test
    void thresholdsWithoutLowQuality() {
        int[] m = new Matcher(0.7f, 0.3f, false).match(IOU, 2, 6);
        // 0: 0.9 -> gt0; 1: best 0.6 (gt1) between; 2: best 0.25 below; 3: tie 0.65 between; 4: 0 below;
        // 5: 0.3 (gt1) is >= low: between (low threshold inclusive for BETWEEN)
        assertArrayEquals(new int[] {0, Matcher.BETWEEN, Matcher.BELOW_LOW, Matcher.BETWEEN, Matcher.BELOW_LOW,
                Matcher.BETWEEN}, m);
    }

    @Test
    void highThresholdIsInclusive() {
        int[] m = new Matcher(0.6f, 0.3f, false).match(IOU, 2, 6);
        // pred 3: tie between gt0 and gt1 at 0.65 -> first maximum (gt0)
        assertArrayEquals(new int[] {0, 1, Matcher.BELOW_LOW, 0, Matcher.BELOW_LOW, Matcher.BETWEEN}, m);
    }

    @Test
    void lowQualityMatchesRestoreEveryPredictionAtAGtsBestIouIncludingTies() {
        float[] iou = {
            0.9f, 0.5f, 0.2f, 0.5f, 0.0f,
            0.1f, 0.4f, 0.4f, 0.3f, 0.0f,
        };
        int[] m = new Matcher(0.7f, 0.3f, true).match(iou, 2, 5);
        // gt0's best 0.9 at pred 0 (already matched). gt1's best 0.4 at preds 1 and 2 (tie): both get their own best
        // match: pred 1's best is gt0 (0.5) -> 0, pred 2's best is gt1 (0.4) -> 1. Pred 3: between; pred 4 below.
        assertArrayEquals(new int[] {0, 0, 1, Matcher.BETWEEN, Matcher.BELOW_LOW}, m);
        int[] without = new Matcher(0.7f, 0.3f, false).match(iou, 2, 5);
        assertArrayEquals(new int[] {0, Matcher.BETWEEN, Matcher.BETWEEN, Matcher.BETWEEN, Matcher.BELOW_LOW}, without);
    }

    @Test
    void lowQualityMatchOfAZeroIouGtRestoresAllZeroPredictions() {
        // torchvision quirk: a gt overlapping nothing has best IoU 0, so every prediction with IoU 0 to it is
        // "restored" to its own best match (here gt0 for preds 1 and 2, whose best is 0.1 / 0.0 -> index 0).
        float[] iou = {0.8f, 0.1f, 0.0f, 0f, 0f, 0f};
        int[] m = new Matcher(0.7f, 0.3f, true).match(iou, 2, 3);
        assertArrayEquals(new int[] {0, 0, 0}, m);
    }

    @Test
    void noGroundTruthGivesBackground() {
        assertArrayEquals(new int[] {Matcher.BELOW_LOW, Matcher.BELOW_LOW},
                new Matcher(0.5f, 0.5f, false).match(new float[0], 0, 2));
    }

    @Test
    void equalThresholdsHaveNoBetween() {
        int[] m = new Matcher(0.5f, 0.5f, false).match(IOU, 2, 6);
        assertArrayEquals(new int[] {0, 1, Matcher.BELOW_LOW, 0, Matcher.BELOW_LOW, Matcher.BELOW_LOW}, m);
    }
}
