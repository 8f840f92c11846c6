package ai.wsbcn.cli;

/**
 * The result line of a training session ended early by {@code --stop-at}, the same for every training command, so
 * that a script (or a user under {@code --quiet}) sees that the run is not complete.
 */
public final class Stopped {

    private Stopped() {}

    /** "stopped at step 2 of 4: continue with --resume" ({@code unit}: step, or update for pretraining). */
    public static String line(String unit, long at, long total) {
        return "stopped at " + unit + " " + at + " of " + total + ": continue with --resume";
    }
}
