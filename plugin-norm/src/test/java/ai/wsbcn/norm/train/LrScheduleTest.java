package ai.wsbcn.norm.train;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Hand-computed values; tolerance 1e-6 relative (float rounding of the returned rate). */
class LrScheduleTest {

    private static void near(double expected, float actual) {
        assertEquals(expected, actual, Math.abs(expected) * 1e-6 + 1e-9);
    }

    @Test
    void stepDecaysAtMilestonesAfterWarmup() {
        LrSchedule s = LrSchedule.step(0.02f, 90000, 0.1f, 60000, 80000).withWarmup(1000, 0.001f);
        near(0.02 * 0.001, s.lrAt(0));
        near(0.02 * (0.001 * 0.5 + 0.5), s.lrAt(500));
        near(0.02, s.lrAt(1000));
        near(0.02, s.lrAt(59999));
        near(0.002, s.lrAt(60000));
        near(0.0002, s.lrAt(85000));
    }

    @Test
    void polyFollowsDeepLab() {
        LrSchedule s = LrSchedule.poly(0.007f, 30000, 0.9f);
        near(0.007, s.lrAt(0));
        near(0.007 * Math.pow(0.5, 0.9), s.lrAt(15000));
        near(0.0, s.lrAt(30000));
    }

    @Test
    void cosineGoesToZero() {
        LrSchedule s = LrSchedule.cosine(0.1f, 900);
        near(0.1, s.lrAt(0));
        near(0.05, s.lrAt(450));
        near(0.1 * 0.5 * (1 + Math.cos(Math.PI * 100 / 900)), s.lrAt(100));
        near(0.0, s.lrAt(900));
    }
}
