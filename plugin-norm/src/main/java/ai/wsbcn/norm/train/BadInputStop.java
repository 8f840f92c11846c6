package ai.wsbcn.norm.train;

import ai.wsbcn.util.InvalidInputException;

import java.io.IOException;

/**
 * Bad input met in the middle of a run (an image that does not decode, a label that is no class, found only when its
 * micro-batch is loaded): the run stops, but what it trained since its last checkpoint is kept. The update in which
 * the input was met did not happen (parameters and optimizer are as after the previous one), so a checkpoint at the
 * last completed update is exact, and {@code --resume} continues from it once the input is fixed.
 */
public final class BadInputStop {

    /** Writes the checkpoint of a run after {@code completed} updates. */
    @FunctionalInterface
    public interface CheckpointWriter {
        void save(long completed) throws IOException;
    }

    private BadInputStop() {}

    /**
     * Saves a checkpoint after {@code completed} updates unless one is already there ({@code lastSaved}), and returns
     * {@code e} with what was kept added to its message, for the caller to throw.
     */
    public static InvalidInputException keepWork(InvalidInputException e, long completed, long lastSaved,
            CheckpointWriter writer) throws IOException {
        if (completed <= 0) {
            return e;
        }
        if (completed > lastSaved) {
            writer.save(completed);
        }
        return new InvalidInputException(e.getMessage() + " (training stopped after update " + completed
                + ", which is checkpointed: fix the input and continue with --resume)", e);
    }
}
