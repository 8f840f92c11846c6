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

    /** MXNet's {@code OpReqType::kWriteTo}. */
    private static final int MXNET_WRITE_TO = 1;
    /** MXNet's {@code OpReqType::kAddTo}. */
    private static final int MXNET_ADD_TO = 3;

    private GradientLeaves() {}

    /** Makes {@code leaf} require a gradient (zero) that every later backward adds to until the caller zeroes it. */
    public static void requireAccumulatingGradient(NDArray leaf) {
        leaf.setRequiresGradient(true);
        if (leaf instanceof MxNDArray) {
            setAccumulating(leaf, true);
        }
    }

    /**
     * For an MXNet leaf that already has a gradient: whether later backward passes add to it ({@code true}) or
     * overwrite it ({@code false}, MXNet's default). Overwriting on the first backward of an update and adding on
     * the later ones sums the micro-batches' gradients without ever zeroing them.
     */
    public static void setAccumulating(NDArray leaf, boolean accumulate) {
        if (!(leaf instanceof MxNDArray)) {
            throw new IllegalArgumentException("only MXNet leaves take a gradient request, got "
                    + leaf.getManager().getEngine().getEngineName());
        }
        try (NDArray grad = leaf.getGradient()) {
            IntBuffer req = IntBuffer.wrap(new int[] {accumulate ? MXNET_ADD_TO : MXNET_WRITE_TO});
            JnaUtils.autogradMarkVariables(1, (Pointer) ((MxNDArray) leaf).getHandle(), req,
                    (Pointer) ((MxNDArray) grad).getHandle());
        }
    }
}
