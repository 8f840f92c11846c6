package ai.wsbcn.norm.engine;

import ai.djl.mxnet.engine.MxNDArray;
import ai.djl.mxnet.jna.JnaUtils;
import ai.djl.ndarray.NDArray;
import com.sun.jna.Pointer;

import java.nio.IntBuffer;

/**
 * Gradient leaves whose gradient sums over successive backward passes, as PyTorch's always do. MXNet's leaves, as
 * DJL marks them, have their gradient overwritten by each backward ("write"); this marks them "add to" instead, so
 * that a held standardised weight collects its gradient over an update's micro-batches without a copy per
 * micro-batch.
 */
public final class GradientLeaves {

    /** MXNet's {@code OpReqType::kAddTo}. */
    private static final int MXNET_ADD_TO = 3;

    private GradientLeaves() {}

    /** Makes {@code leaf} require a gradient (zero) that every later backward adds to until the caller zeroes it. */
    public static void requireAccumulatingGradient(NDArray leaf) {
        leaf.setRequiresGradient(true);
        if (leaf instanceof MxNDArray) {
            try (NDArray grad = leaf.getGradient()) {
                IntBuffer req = IntBuffer.wrap(new int[] {MXNET_ADD_TO});
                JnaUtils.autogradMarkVariables(1, (Pointer) ((MxNDArray) leaf).getHandle(), req,
                        (Pointer) ((MxNDArray) grad).getHandle());
            }
        }
    }
}
