package ai.wsbcn.util;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/**
 * Keeps the arrays that a layer derives from its parameters in the manager of the call that uses them. DJL attaches
 * an op's result to the manager of its first operand, so an op that starts from a parameter (a weight reshaped for
 * broadcasting, a standardised weight, a scale from frozen statistics) would leave its result in the model's
 * long-lived manager on every forward: a loop of DJL {@code Predictor} calls, each with its own manager, would grow
 * without bound. Once such a result is adopted, the ops that start from it put their results in the call's manager
 * as well, so only the first op from a parameter needs this. Moving an array between managers is bookkeeping only
 * (no copy, autograd unaffected) and touches no shared state but the two managers' thread-safe maps, so concurrent
 * predictors on one model stay safe; the parameters themselves never move.
 */
public final class CallArrays {

    private CallArrays() {}

    /** {@code made}, a new array an op just returned, now owned by {@code call}; returned for chaining. */
    public static NDArray adopt(NDManager call, NDArray made) {
        if (made.getManager() != call) {
            made.attach(call);
        }
        return made;
    }
}
