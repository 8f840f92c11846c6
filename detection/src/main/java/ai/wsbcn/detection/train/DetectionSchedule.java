package ai.wsbcn.detection.train;

import ai.wsbcn.norm.train.LrSchedule;
import ai.wsbcn.util.InvalidInputException;

/**
 * Detectron's step schedules scaled to the total batch. {@code 1x} = 90k iterations at 16 images with decays (x0.1)
 * at 60k and 80k; {@code 2x} = 180k with decays at 120k and 160k; linear warmup of 1000 iterations from factor 0.001.
 * At a total batch B (= images per batch x iter-size) every count is multiplied by 16/B (linear scaling rule, as
 * detectron2's reference configs do). An explicit iteration count keeps the decay points at the same fractions.
 */
public record DetectionSchedule(int iterations, int[] steps, int warmupIters, float warmupFactor) {

    public static final int REFERENCE_BATCH = 16;
    public static final float WARMUP_FACTOR = 0.001f;

    /** {@code name} 1x or 2x, {@code totalBatch} images per update, {@code itersOverride} > 0 to rescale. */
    public static DetectionSchedule of(String name, int totalBatch, int itersOverride) {
        if (totalBatch <= 0) {
            throw new InvalidInputException("--images-per-batch x --iter-size: must be positive, got " + totalBatch);
        }
        int base;
        int[] baseSteps;
        switch (name == null ? "1x" : name) {
            case "1x" -> { base = 90_000; baseSteps = new int[] {60_000, 80_000}; }
            case "2x" -> { base = 180_000; baseSteps = new int[] {120_000, 160_000}; }
            default -> throw new InvalidInputException("--schedule: expected 1x or 2x, got '" + name + "'");
        }
        double scale = (double) REFERENCE_BATCH / totalBatch;
        int iters = (int) Math.round(base * scale);
        int warmup = (int) Math.round(1000 * scale);
        if (itersOverride > 0) {
            warmup = (int) Math.round(warmup * (double) itersOverride / iters);
            iters = itersOverride;
        }
        int[] steps = new int[baseSteps.length];
        for (int i = 0; i < steps.length; i++) {
            steps[i] = (int) Math.round(iters * (double) baseSteps[i] / base);
        }
        return new DetectionSchedule(iters, steps, Math.min(warmup, iters), WARMUP_FACTOR);
    }

    /** The learning rate schedule (x0.1 at each step point) with linear warmup. */
    public LrSchedule lrSchedule(float baseLr) {
        LrSchedule s = LrSchedule.step(baseLr, iterations, 0.1f, java.util.Arrays.stream(steps).asLongStream().toArray());
        return warmupIters > 0 ? s.withWarmup(warmupIters, warmupFactor) : s;
    }
}
