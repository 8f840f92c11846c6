package ai.wsbcn.norm.train;

import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;

/**
 * Gives every trainable parameter's array a gradient. Needed after a model's arrays were replaced (loading a
 * checkpoint or weights swaps in new arrays, without gradients) or created by an initialisation outside DJL's
 * {@code Trainer}, which would otherwise attach them.
 */
public final class TrainableGradients {

    private TrainableGradients() {}

    /** Attaches a gradient to the array of every parameter of {@code model} that requires one. */
    public static void attach(Block model) {
        for (Pair<String, Parameter> p : model.getParameters()) {
            if (p.getValue().requiresGradient()) {
                p.getValue().getArray().setRequiresGradient(true);
            }
        }
    }
}
