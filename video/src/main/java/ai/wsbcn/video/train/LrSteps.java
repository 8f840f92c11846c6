package ai.wsbcn.video.train;

import ai.wsbcn.util.InvalidInputException;

import java.util.Arrays;

/** TSM's step schedule: the base rate times 0.1 for every milestone epoch already reached. */
public record LrSteps(float baseLr, int[] milestones, float factor) {

    public LrSteps {
        milestones = milestones.clone();
        Arrays.sort(milestones);
    }

    /** The rate during (0-based) epoch {@code epoch}. */
    public float lrAt(int epoch) {
        float lr = baseLr;
        for (int m : milestones) {
            if (epoch >= m) {
                lr *= factor;
            }
        }
        return lr;
    }

    /** Parses {@code 26,36}. */
    public static int[] parseMilestones(String s) {
        if (s == null || s.isBlank()) {
            return new int[0];
        }
        String[] parts = s.split(",");
        int[] out = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            try {
                out[i] = Integer.parseInt(parts[i].strip());
            } catch (NumberFormatException e) {
                out[i] = -1;
            }
            if (out[i] < 1) {
                throw new InvalidInputException("--lr-steps: expected comma-separated epochs >= 1, got '" + s + "'");
            }
        }
        return out;
    }
}
