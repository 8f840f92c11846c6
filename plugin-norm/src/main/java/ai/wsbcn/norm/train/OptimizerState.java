package ai.wsbcn.norm.train;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;

import java.io.IOException;

/**
 * An optimizer whose state (momentum buffers, update count) goes into a {@link TrainingCheckpoint} with the model,
 * so that a resumed run continues exactly.
 */
public interface OptimizerState {

    /** The state for {@code model}'s parameters, as bytes. */
    byte[] saveState(Block model);

    /**
     * Restores what {@link #saveState} wrote for the same model; arrays go to {@code manager}.
     *
     * @throws IOException when the state does not fit the model (the message says which buffer)
     */
    void loadState(Block model, NDManager manager, byte[] state) throws IOException;
}
