package ai.wsbcn.norm;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import ai.wsbcn.norm.engine.NormKernels;
import ai.wsbcn.util.CallArrays;

/**
 * Batch norm with fixed statistics and affine, the usual micro-batch baseline (torchvision's FrozenBatchNorm2d):
 * {@code y = (x - running_mean) / sqrt(running_var + eps) * weight + bias} in training and inference alike. None of
 * its parameters is trained; the scale and shift are fused first, so a forward costs one multiply-add.
 */
public final class FrozenBatchNorm extends AbstractBlock {

    private static final byte VERSION = 1;

    private final float eps;
    private final Parameter weight;
    private final Parameter bias;
    private final Parameter runningMean;
    private final Parameter runningVar;

    private FrozenBatchNorm(Builder b) {
        super(VERSION);
        eps = b.eps;
        weight = addParameter(ChannelParams.frozen("weight", Parameter.Type.GAMMA));
        bias = addParameter(ChannelParams.frozen("bias", Parameter.Type.BETA));
        runningMean = addParameter(ChannelParams.frozen("running_mean", Parameter.Type.RUNNING_MEAN));
        runningVar = addParameter(ChannelParams.frozen("running_var", Parameter.Type.RUNNING_VAR));
    }

    public static Builder builder() {
        return new Builder();
    }

    public float getEps() {
        return eps;
    }

    /** The per-channel scale {@code weight / sqrt(running_var + eps)} (C), e.g. to fold into a preceding conv. */
    public NDArray scale(ParameterStore ps, ai.djl.Device device) {
        return scale(ps, device, ps.getValue(weight, device, false).getManager());
    }

    /** The per-channel shift {@code bias - running_mean * scale} (C). */
    public NDArray shift(ParameterStore ps, ai.djl.Device device) {
        NDManager m = ps.getValue(weight, device, false).getManager();
        return shift(ps, device, scale(ps, device, m), m);
    }

    /** The scale, made in {@code call} (see {@link CallArrays}). */
    private NDArray scale(ParameterStore ps, ai.djl.Device device, NDManager call) {
        NDArray rv = ps.getValue(runningVar, device, false);
        NDArray std = CallArrays.adopt(call, rv.add(eps)).sqrt();
        return CallArrays.adopt(call, ps.getValue(weight, device, false).div(std));
    }

    private NDArray shift(ParameterStore ps, ai.djl.Device device, NDArray scale, NDManager call) {
        NDArray rm = ps.getValue(runningMean, device, false);
        return CallArrays.adopt(call, ps.getValue(bias, device, false).sub(CallArrays.adopt(call, rm.mul(scale))));
    }

    @Override
    protected void prepare(Shape[] inputShapes) {
        Shape c = new Shape(ChannelParams.channels(inputShapes[0], "FrozenBatchNorm"));
        weight.setShape(c);
        bias.setShape(c);
        runningMean.setShape(c);
        runningVar.setShape(c);
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
            PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        NDManager call = x.getManager();
        NDArray scale = scale(ps, x.getDevice(), call);
        NDArray y = NormKernels.forArray(x, training).channelAffine(x, scale,
                shift(ps, x.getDevice(), scale, call));
        ActivationProbe.record(this, x, y);
        return new NDList(y);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }

    @Override
    public String toString() {
        return "FrozenBatchNorm(eps=" + eps + ")";
    }

    /** Builds a {@link FrozenBatchNorm}; eps 1e-5 as torchvision. */
    public static final class Builder {
        private float eps = 1e-5f;

        private Builder() {}

        public Builder optEps(float eps) {
            this.eps = eps;
            return this;
        }

        public FrozenBatchNorm build() {
            return new FrozenBatchNorm(this);
        }
    }
}
