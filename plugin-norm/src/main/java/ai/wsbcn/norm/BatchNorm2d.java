package ai.wsbcn.norm;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * Batch normalization with PyTorch's parameter names ({@code weight}, {@code bias}, {@code running_mean},
 * {@code running_var}) so that torchvision checkpoints load by name: batch statistics in training (running estimates
 * moved with momentum 0.1, PyTorch's convention), running estimates in inference. Runs on the engine's fused kernel.
 *
 * <p>As with DJL's own BatchNorm, a training forward must run under a GradientCollector on MXNet.
 */
public final class BatchNorm2d extends AbstractBlock {

    private static final byte VERSION = 1;

    private final float eps;
    private final float momentum;
    private final Parameter weight;
    private final Parameter bias;
    private final Parameter runningMean;
    private final Parameter runningVar;

    private BatchNorm2d(Builder b) {
        super(VERSION);
        eps = b.eps;
        momentum = b.momentum;
        weight = addParameter(ChannelParams.trainable("weight", Parameter.Type.GAMMA));
        bias = addParameter(ChannelParams.trainable("bias", Parameter.Type.BETA));
        runningMean = addParameter(ChannelParams.frozen("running_mean", Parameter.Type.RUNNING_MEAN));
        runningVar = addParameter(ChannelParams.frozen("running_var", Parameter.Type.RUNNING_VAR));
    }

    public static Builder builder() {
        return new Builder();
    }

    public float getEps() {
        return eps;
    }

    /** PyTorch's momentum: {@code running = (1 - momentum) * running + momentum * batch}. */
    public float getMomentum() {
        return momentum;
    }

    @Override
    protected void prepare(Shape[] inputShapes) {
        Shape c = new Shape(ChannelParams.channels(inputShapes[0], "BatchNorm2d"));
        weight.setShape(c);
        bias.setShape(c);
        runningMean.setShape(c);
        runningVar.setShape(c);
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
            PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        NDArray y = apply(x, ps.getValue(runningMean, x.getDevice(), training),
                ps.getValue(runningVar, x.getDevice(), training), ps.getValue(weight, x.getDevice(), training),
                ps.getValue(bias, x.getDevice(), training), momentum, eps, training);
        ActivationProbe.record(this, x, y);
        return new NDList(y);
    }

    /** The batch-norm arithmetic with explicit arrays (also used by the BN part of large-batch BCN). */
    static NDArray apply(NDArray x, NDArray runningMean, NDArray runningVar, NDArray weight, NDArray bias,
            float torchMomentum, float eps, boolean training) {
        boolean mxnet = "MXNet".equals(x.getManager().getEngine().getEngineName());
        if (!training || !mxnet) {
            // DJL's momentum is the weight of the old estimate (MXNet's convention), PyTorch's that of the batch.
            return BatchNorm.batchNorm(x, runningMean, runningVar, weight, bias, 1, 1f - torchMomentum, eps,
                    training).singletonOrThrow();
        }
        // MXNet moves its running variance toward the BIASED batch variance, and only in the backward pass; we keep
        // PyTorch's semantics (unbiased, updated by the forward) so checkpoints mean the same on both engines: the
        // operator gets scratch estimates and the real ones are updated here, outside autograd.
        NDArray y;
        try (NDArray scratchMean = runningMean.duplicate(); NDArray scratchVar = runningVar.duplicate()) {
            y = BatchNorm.batchNorm(x, scratchMean, scratchVar, weight, bias, 1, 1f - torchMomentum, eps, true)
                    .singletonOrThrow();
        }
        Shape s = x.getShape();
        long n = s.size() / s.get(1);
        // moments about the running mean (close to the batch mean): var = E[(x - c)^2] - (mean - c)^2; the kernels
        // keep them out of the graph (no detached copy of x needed, which on MXNet would be a full-size copy)
        NDArray center = runningMean.duplicate();
        NDArray[] moments = ai.wsbcn.norm.engine.NormKernels.forArray(x, true).channelMoments(x, center);
        try (NDArray mean = moments[0]; NDArray spread = moments[1];
                NDArray var = spread.sub(mean.sub(center).square())) {
            NDArray unbiased = n > 1 ? var.mul((double) n / (n - 1)) : var;
            runningMean.muli(1f - torchMomentum).addi(mean.mul(torchMomentum));
            runningVar.muli(1f - torchMomentum).addi(unbiased.mul(torchMomentum));
        } finally {
            center.close();
        }
        return y;
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }

    @Override
    public String toString() {
        return "BatchNorm2d(eps=" + eps + ", momentum=" + momentum + ")";
    }

    /** Builds a {@link BatchNorm2d}: eps 1e-5, momentum 0.1 (PyTorch's defaults). */
    public static final class Builder {
        private float eps = 1e-5f;
        private float momentum = 0.1f;

        private Builder() {}

        public Builder optEps(float eps) {
            this.eps = eps;
            return this;
        }

        /** PyTorch's convention: the weight of the batch statistic in the running estimate. */
        public Builder optMomentum(float momentum) {
            this.momentum = momentum;
            return this;
        }

        public BatchNorm2d build() {
            return new BatchNorm2d(this);
        }
    }
}
