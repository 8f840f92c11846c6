package ai.wsbcn.video.train;

import ai.wsbcn.util.InvalidInputException;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * TSM's {@code adjust_learning_rate}: {@code lr * 0.1 ** sum(epoch >= lr_steps)} with 0-based epochs, so with steps
 * 26,36 the 27th epoch (index 26) is the first at 1/10. Hand-computed; tolerance 1e-6 relative (float rounding).
 */
class LrStepsTest {

    @Test
    void decaysFromTheEpochIndexEqualToEachMilestone() {
        LrSteps s = new LrSteps(0.01f, LrSteps.parseMilestones("36, 26"), 0.1f);
        assertArrayEquals(new int[] {26, 36}, s.milestones());
        double[][] expected = {{0, 0.01}, {25, 0.01}, {26, 0.001}, {35, 0.001}, {36, 0.0001}, {49, 0.0001}};
        for (double[] e : expected) {
            assertEquals(e[1], s.lrAt((int) e[0]), 1e-6 * e[1], "epoch index " + (int) e[0]);
        }
        assertEquals(0.01f, new LrSteps(0.01f, LrSteps.parseMilestones(""), 0.1f).lrAt(100), 0f);
    }

    @Test
    void milestonesMustBePositiveEpochs() {
        assertThrows(InvalidInputException.class, () -> LrSteps.parseMilestones("26,x"));
        assertThrows(InvalidInputException.class, () -> LrSteps.parseMilestones("0"));
    }
}
