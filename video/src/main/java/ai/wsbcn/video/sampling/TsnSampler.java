package ai.wsbcn.video.sampling;

import java.util.Arrays;
import java.util.random.RandomGenerator;

/**
 * TSN's segment-based sampling as the TSM code does it for frame folders (one frame per segment): the video's
 * {@code n} frames are cut into {@code segments} equal segments.
 *
 * <ul>
 *   <li>training: a uniformly random frame inside each segment ({@code k * (n / segments) + rand(n / segments)},
 *       integer division);</li>
 *   <li>testing: the centre of each segment ({@code int(tick / 2 + tick * k)}, {@code tick = n / segments} in real
 *       numbers).</li>
 * </ul>
 *
 * Testing equals the TSM code's {@code _get_test_indices} for every length (short videos repeat frames). One
 * deliberate difference: videos with fewer frames than segments get, in TSM's {@code _sample_indices} (training),
 * frame 1 for every segment, and so do videos with at most as many in its {@code _get_val_indices} (validation during
 * training); here training draws sorted random frames and validation uses the test indices, so such a clip still
 * shows its motion.
 *
 * Indices are 1-based frame numbers ({@code 00001.jpg} is frame 1).
 */
public final class TsnSampler {

    private final int segments;

    public TsnSampler(int segments) {
        if (segments < 1) {
            throw new IllegalArgumentException("segments must be >= 1, got " + segments);
        }
        this.segments = segments;
    }

    public int segments() {
        return segments;
    }

    /** Training indices: one random frame per segment. */
    public int[] trainIndices(int numFrames, RandomGenerator random) {
        checkFrames(numFrames);
        int[] idx = new int[segments];
        int duration = numFrames / segments;
        if (duration > 0) {
            for (int k = 0; k < segments; k++) {
                idx[k] = k * duration + random.nextInt(duration) + 1;
            }
        } else {
            for (int k = 0; k < segments; k++) {
                idx[k] = random.nextInt(numFrames) + 1;
            }
            Arrays.sort(idx);
        }
        return idx;
    }

    /** Test indices: the centre frame of each segment. */
    public int[] testIndices(int numFrames) {
        checkFrames(numFrames);
        int[] idx = new int[segments];
        double tick = (double) numFrames / segments;
        for (int k = 0; k < segments; k++) {
            idx[k] = (int) (tick / 2.0 + tick * k) + 1;
        }
        return idx;
    }

    private static void checkFrames(int numFrames) {
        if (numFrames < 1) {
            throw new IllegalArgumentException("a video needs at least one frame, got " + numFrames);
        }
    }
}
