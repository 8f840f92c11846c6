package ai.wsbcn.norm;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import ai.wsbcn.norm.engine.NormKernels;

/**
 * Group Normalization (Wu and He): each sample's channels are split into groups normalised to zero mean and unit
 * biased variance, then a per-CHANNEL affine ({@code weight}, {@code bias} of shape (C)) as in PyTorch's
 * {@code nn.GroupNorm}. Independent of the batch size, so it behaves the same at 1 image per device.
 */
public final class GroupNorm extends AbstractBlock {

    /**
     * Group count meaning "min(32, C/4)", the rule of the paper's detection and segmentation models (or, where that
     * does not divide C, the largest count below it that does).
     */
    public static final int AUTO_GROUPS = 0;

    private static final byte VERSION = 1;

    private final int requestedGroups;
    private final float eps;
    private final boolean affine;
    private final Parameter weight;
    private final Parameter bias;
    private int groups;

    private GroupNorm(Builder b) {
        super(VERSION);
        requestedGroups = b.groups;
        eps = b.eps;
        affine = b.affine;
        weight = affine ? addParameter(ChannelParams.trainable("weight", Parameter.Type.GAMMA)) : null;
        bias = affine ? addParameter(ChannelParams.trainable("bias", Parameter.Type.BETA)) : null;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The group count in force (resolved from the input's channels when built with {@link #AUTO_GROUPS}). */
    public int getGroups() {
        return groups != 0 ? groups : requestedGroups;
    }

    public float getEps() {
        return eps;
    }

    public boolean isAffine() {
        return affine;
    }

    @Override
    protected void prepare(Shape[] inputShapes) {
        int c = ChannelParams.channels(inputShapes[0], "GroupNorm");
        groups = ChannelParams.resolveGroups(requestedGroups, c, "GroupNorm");
        if (affine) {
            weight.setShape(new Shape(c));
            bias.setShape(new Shape(c));
        }
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
            PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        int c = ChannelParams.channels(x.getShape(), "GroupNorm");
        int g = groups != 0 ? groups : ChannelParams.resolveGroups(requestedGroups, c, "GroupNorm");
        NormKernels kernels = NormKernels.forArray(x, training);
        NDArray z = kernels.groupNormalize(x, g, eps, training);
        if (affine) {
            z = kernels.channelAffine(z, ps.getValue(weight, x.getDevice(), training),
                    ps.getValue(bias, x.getDevice(), training));
        }
        ActivationProbe.record(this, x, z);
        return new NDList(z);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }

    @Override
    public String toString() {
        String g = requestedGroups != AUTO_GROUPS ? Integer.toString(requestedGroups)
                : groups != 0 ? "auto (" + groups + ")" : "auto";
        return "GroupNorm(groups=" + g + ", eps=" + eps
                + (affine ? "" : ", affine=false") + ")";
    }

    /** Builds a {@link GroupNorm}: 32 groups, eps 1e-5 and affine by default. */
    public static final class Builder {
        private int groups = 32;
        private float eps = 1e-5f;
        private boolean affine = true;

        private Builder() {}

        /** Number of groups; {@link #AUTO_GROUPS} (0) picks min(32, C/4) from the input. */
        public Builder optGroups(int groups) {
            if (groups < 0) {
                throw new IllegalArgumentException("GroupNorm groups must be positive (or 0 for auto), got " + groups);
            }
            this.groups = groups;
            return this;
        }

        public Builder optEps(float eps) {
            this.eps = eps;
            return this;
        }

        public Builder optAffine(boolean affine) {
            this.affine = affine;
            return this;
        }

        public GroupNorm build() {
            return new GroupNorm(this);
        }
    }
}
