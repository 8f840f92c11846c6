package ai.wsbcn.norm.train;

import java.util.Arrays;
import java.util.Locale;

/**
 * Learning rate as a function of the update index (0-based), the schedules the paper's pipelines use: linear warmup
 * (detectron2's factor ramp from {@code warmupFactor} to 1), then constant with step decay (Mask R-CNN, TSM),
 * polynomial decay (DeepLab, power 0.9) or cosine decay to 0 (ImageNet-style classification).
 */
public final class LrSchedule {

    /** The decay after warmup. */
    public enum Decay {
        STEP,
        POLY,
        COSINE
    }

    private final float baseLr;
    private final Decay decay;
    private final long totalUpdates;
    private final long warmupUpdates;
    private final float warmupFactor;
    private final long[] milestones;
    private final float gamma;
    private final float power;

    private LrSchedule(float baseLr, Decay decay, long totalUpdates, long warmupUpdates, float warmupFactor,
            long[] milestones, float gamma, float power) {
        if (!(baseLr > 0f)) {
            throw new IllegalArgumentException("learning rate must be positive, got " + baseLr);
        }
        if (totalUpdates <= 0 || warmupUpdates < 0) {
            throw new IllegalArgumentException("schedule needs total updates > 0 and warmup >= 0, got " + totalUpdates
                    + " and " + warmupUpdates);
        }
        this.baseLr = baseLr;
        this.decay = decay;
        this.totalUpdates = totalUpdates;
        this.warmupUpdates = warmupUpdates;
        this.warmupFactor = warmupFactor;
        this.milestones = milestones.clone();
        this.gamma = gamma;
        this.power = power;
    }

    /** Constant {@code baseLr}, multiplied by {@code gamma} at each milestone update. */
    public static LrSchedule step(float baseLr, long totalUpdates, float gamma, long... milestones) {
        long[] sorted = milestones.clone();
        Arrays.sort(sorted);
        return new LrSchedule(baseLr, Decay.STEP, totalUpdates, 0, 1f, sorted, gamma, 0f);
    }

    /** {@code baseLr * (1 - t / total)^power} (DeepLab's "poly", power 0.9). */
    public static LrSchedule poly(float baseLr, long totalUpdates, float power) {
        return new LrSchedule(baseLr, Decay.POLY, totalUpdates, 0, 1f, new long[0], 1f, power);
    }

    /** {@code baseLr * (1 + cos(pi * t / total)) / 2}. */
    public static LrSchedule cosine(float baseLr, long totalUpdates) {
        return new LrSchedule(baseLr, Decay.COSINE, totalUpdates, 0, 1f, new long[0], 1f, 0f);
    }

    /**
     * The same schedule with a linear warmup over the first {@code updates} updates: the rate is multiplied by a
     * factor going linearly from {@code startFactor} at update 0 to 1 at update {@code updates}.
     */
    public LrSchedule withWarmup(long updates, float startFactor) {
        return new LrSchedule(baseLr, decay, totalUpdates, updates, startFactor, milestones, gamma, power);
    }

    /** Learning rate of update {@code t} (0-based). */
    public float lrAt(long t) {
        double lr;
        switch (decay) {
            case STEP:
                int passed = 0;
                for (long m : milestones) {
                    if (t >= m) {
                        passed++;
                    }
                }
                lr = baseLr * Math.pow(gamma, passed);
                break;
            case POLY:
                lr = baseLr * Math.pow(Math.max(0.0, 1.0 - (double) t / totalUpdates), power);
                break;
            case COSINE:
                lr = baseLr * 0.5 * (1.0 + Math.cos(Math.PI * Math.min(t, totalUpdates) / totalUpdates));
                break;
            default:
                throw new AssertionError(decay);
        }
        if (t < warmupUpdates) {
            double alpha = (double) t / warmupUpdates;
            lr *= warmupFactor * (1 - alpha) + alpha;
        }
        return (float) lr;
    }

    public float baseLr() {
        return baseLr;
    }

    public long totalUpdates() {
        return totalUpdates;
    }

    @Override
    public String toString() {
        String s = String.format(Locale.ROOT, "%s(lr=%g, updates=%d", decay.name().toLowerCase(Locale.ROOT), baseLr,
                totalUpdates);
        if (decay == Decay.STEP) {
            s += ", milestones=" + Arrays.toString(milestones) + ", gamma=" + gamma;
        } else if (decay == Decay.POLY) {
            s += ", power=" + power;
        }
        if (warmupUpdates > 0) {
            s += ", warmup=" + warmupUpdates + " from x" + warmupFactor;
        }
        return s + ")";
    }
}
