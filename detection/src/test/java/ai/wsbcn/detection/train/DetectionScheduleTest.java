package ai.wsbcn.detection.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.wsbcn.norm.train.LrSchedule;
import ai.wsbcn.util.InvalidInputException;

import org.junit.jupiter.api.Test;

/** Schedule numbers computed by hand from Detectron's 1x/2x (90k/180k at batch 16, steps 60k,80k / 120k,160k). */
class DetectionScheduleTest {

    @Test
    void referenceBatchIsDetectronsSchedule() {
        DetectionSchedule s = DetectionSchedule.of("1x", 16, 0);
        assertEquals(90_000, s.iterations());
        assertArrayEquals(new int[] {60_000, 80_000}, s.steps());
        assertEquals(1000, s.warmupIters());
        DetectionSchedule s2 = DetectionSchedule.of("2x", 16, 0);
        assertEquals(180_000, s2.iterations());
        assertArrayEquals(new int[] {120_000, 160_000}, s2.steps());
    }

    @Test
    void scalesLinearlyToTheTotalBatch() {
        // 2 images x iter-size 2 = 4: 16/4 = 4x longer
        DetectionSchedule s = DetectionSchedule.of("1x", 4, 0);
        assertEquals(360_000, s.iterations());
        assertArrayEquals(new int[] {240_000, 320_000}, s.steps());
        assertEquals(4000, s.warmupIters());
        DetectionSchedule one = DetectionSchedule.of("2x", 1, 0);
        assertEquals(2_880_000, one.iterations());
        assertArrayEquals(new int[] {1_920_000, 2_560_000}, one.steps());
        assertEquals(16_000, one.warmupIters());
    }

    @Test
    void itersOverrideKeepsFractions() {
        // 1x at batch 16 with --iters 900: steps at 2/3 and 8/9 -> 600, 800; warmup 1000/90000*900 = 10
        DetectionSchedule s = DetectionSchedule.of("1x", 16, 900);
        assertEquals(900, s.iterations());
        assertArrayEquals(new int[] {600, 800}, s.steps());
        assertEquals(10, s.warmupIters());
    }

    @Test
    void learningRateFollowsWarmupAndSteps() {
        DetectionSchedule s = DetectionSchedule.of("1x", 16, 900);
        LrSchedule lr = s.lrSchedule(0.02f);
        // torch LinearLR-style warmup from factor 0.001 reaches the base lr after 10 updates (tolerance 1e-7)
        assertEquals(0.02f * 0.001f, lr.lrAt(0), 1e-7);
        assertEquals(0.02f, lr.lrAt(100), 1e-7);
        assertEquals(0.002f, lr.lrAt(600), 1e-7);
        assertEquals(0.0002f, lr.lrAt(899), 1e-8);
    }

    @Test
    void unknownScheduleNamesTheFlag() {
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> DetectionSchedule.of("3x", 16, 0));
        org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("--schedule"), e.getMessage());
    }
}
