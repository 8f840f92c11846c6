package ai.wsbcn.norm;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import ai.wsbcn.norm.engine.NormKernels;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.FloatBuffer;

/**
 * Batch-Channel Normalization (Qiao et al.): a per-channel normalisation with batch knowledge, then a group
 * normalisation. Two modes:
 *
 * <ul>
 *   <li>{@link Mode#MICRO} (paper Algorithm 1, the official EstBN + BCNorm code): in a training forward the running
 *       estimates move toward the batch statistics at rate r, with no gradient ({@code var_dot} is taken around the
 *       OLD running mean, as the official code does), and the UPDATED estimates normalise the input as constants;
 *       inference uses the estimates unchanged. The rate is the trainer's current learning rate, set each step with
 *       {@link #setUpdateRate} (see {@code ai.wsbcn.norm.train.BcnRateListener}).
 *   <li>{@link Mode#LARGE}: GN(BN(x)) with batch statistics in training (running estimates with PyTorch momentum
 *       0.1 for inference).
 * </ul>
 *
 * Parameters: {@code batch_weight}, {@code batch_bias} (C), {@code running_mean} (init 0), {@code running_var}
 * (init 1), and the group-norm affine {@code weight}, {@code bias}: one value per GROUP as in the official code, or
 * per channel with {@link Builder#optChannelAffine}.
 */
public final class BatchChannelNorm extends AbstractBlock {

    /** Which BCN: the micro-batch algorithm with estimated statistics, or GN(BN(x)) for large batches. */
    public enum Mode {
        MICRO,
        LARGE
    }

    private static final Logger LOG = LoggerFactory.getLogger(BatchChannelNorm.class);
    private static final byte VERSION = 1;
    /** The official code's fixed eps of the estimate normalisation. */
    private static final float ESTIMATE_EPS = 1e-5f;

    private final int requestedGroups;
    private final float eps;
    private final Mode mode;
    private final boolean channelAffine;
    private final Parameter batchWeight;
    private final Parameter batchBias;
    private final Parameter runningMean;
    private final Parameter runningVar;
    private final Parameter weight;
    private final Parameter bias;
    private int groups;
    private volatile float updateRate;
    /** A model has tens of BCN layers; one warning is enough. */
    private static final java.util.concurrent.atomic.AtomicBoolean WARNED_ZERO_RATE =
            new java.util.concurrent.atomic.AtomicBoolean();

    private BatchChannelNorm(Builder b) {
        super(VERSION);
        requestedGroups = b.groups;
        eps = b.eps;
        mode = b.mode;
        channelAffine = b.channelAffine;
        updateRate = b.updateRate;
        batchWeight = addParameter(ChannelParams.trainable("batch_weight", Parameter.Type.GAMMA));
        batchBias = addParameter(ChannelParams.trainable("batch_bias", Parameter.Type.BETA));
        runningMean = addParameter(ChannelParams.frozen("running_mean", Parameter.Type.RUNNING_MEAN));
        runningVar = addParameter(ChannelParams.frozen("running_var", Parameter.Type.RUNNING_VAR));
        weight = addParameter(ChannelParams.trainable("weight", Parameter.Type.GAMMA));
        bias = addParameter(ChannelParams.trainable("bias", Parameter.Type.BETA));
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Sets the rate r at which the running estimates move in MICRO mode; the paper ties it to the learning rate. */
    public void setUpdateRate(float rate) {
        if (!(rate >= 0f && rate <= 1f)) {
            throw new IllegalArgumentException("BCN update rate must be in [0, 1], got " + rate);
        }
        updateRate = rate;
    }

    public float getUpdateRate() {
        return updateRate;
    }

    public Mode getMode() {
        return mode;
    }

    public int getGroups() {
        return groups != 0 ? groups : requestedGroups;
    }

    public float getEps() {
        return eps;
    }

    public boolean isChannelAffine() {
        return channelAffine;
    }

    @Override
    protected void prepare(Shape[] inputShapes) {
        int c = ChannelParams.channels(inputShapes[0], "BatchChannelNorm");
        groups = ChannelParams.resolveGroups(requestedGroups, c, "BatchChannelNorm");
        Shape channel = new Shape(c);
        batchWeight.setShape(channel);
        batchBias.setShape(channel);
        runningMean.setShape(channel);
        runningVar.setShape(channel);
        Shape affine = channelAffine ? channel : new Shape(groups);
        weight.setShape(affine);
        bias.setShape(affine);
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
            PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        int c = ChannelParams.channels(x.getShape(), "BatchChannelNorm");
        int g = groups != 0 ? groups : ChannelParams.resolveGroups(requestedGroups, c, "BatchChannelNorm");
        NDArray rm = ps.getValue(runningMean, x.getDevice(), training);
        NDArray rv = ps.getValue(runningVar, x.getDevice(), training);
        NDArray bw = ps.getValue(batchWeight, x.getDevice(), training);
        NDArray bb = ps.getValue(batchBias, x.getDevice(), training);
        NormKernels kernels = NormKernels.forArray(x, training);
        NDArray xDot;
        if (mode == Mode.LARGE) {
            xDot = BatchNorm2d.apply(x, rm, rv, bw, bb, 0.1f, eps, training);
        } else {
            float[][] estimates = training ? updateEstimates(x, rm, rv, kernels) : null;
            if (estimates == null) {
                estimates = new float[][] {toHost(rm), toHost(rv)};
            }
            // The UPDATED estimates normalise x as constants (only batch_weight and batch_bias carry gradient); the
            // kernel gets copies, as it may keep them for the backward while a later forward moves the estimates.
            xDot = kernels.channelNormalize(x, constant(estimates[0], x), constant(estimates[1], x), ESTIMATE_EPS,
                    bw, bb);
        }
        NDArray w = ps.getValue(weight, x.getDevice(), training);
        NDArray b = ps.getValue(bias, x.getDevice(), training);
        NDArray y = channelAffine ? kernels.channelAffine(kernels.groupNormalize(xDot, g, eps, training), w, b)
                : kernels.groupNormalizeAffine(xDot, g, eps, w, b, training);
        ActivationProbe.record(this, x, y);
        return new NDList(y);
    }

    /** A (C) constant in the manager of the forward's input (freed with the step's arrays), in its type. */
    private static NDArray constant(float[] values, NDArray x) {
        NDArray a = x.getManager().create(values);
        return a.getDataType() == x.getDataType() ? a : a.toType(x.getDataType(), false);
    }

    private static float[] toHost(NDArray a) {
        return a.toType(DataType.FLOAT32, false).toFloatArray();
    }

    /**
     * Algorithm 1's estimate update, outside autograd: the (C) moments come from the kernels, the update itself
     * runs on the host in float32 (the same operations, in the same order, as {@code rm + (mu - rm) * r} on the
     * engine) and the results are copied into the estimates. Returns the new {mean, variance}, or null when the
     * rate is 0 (nothing moves).
     */
    private float[][] updateEstimates(NDArray x, NDArray rm, NDArray rv, NormKernels kernels) {
        float r = updateRate;
        if (r == 0f) {
            if (!WARNED_ZERO_RATE.getAndSet(true)) {
                LOG.warn("BatchChannelNorm trains with update rate 0: its running estimates never move. Set the rate"
                        + " from the learning rate (BcnRateListener or BcnRates.set) as the paper prescribes. (Said"
                        + " once per process, not per layer.)");
            }
            return null;
        }
        // the kernels keep this out of the graph and free their full-size temporaries
        NDArray[] moments = kernels.channelMoments(x, rm);
        float[] muDot;
        float[] varDot;
        try (NDArray m0 = moments[0]; NDArray m1 = moments[1]) {
            muDot = toHost(m0);
            varDot = toHost(m1);
        }
        float[] mean = toHost(rm);
        float[] var = toHost(rv);
        for (int i = 0; i < mean.length; i++) {
            mean[i] = mean[i] + (muDot[i] - mean[i]) * r;
            var[i] = var[i] + (varDot[i] - var[i]) * r;
        }
        // Copied in through the host (C values) rather than updated in place: the estimates are inputs of
        // recorded graph nodes, and MXNet forbids (and can crash on) in-place writes to such arrays.
        rm.set(FloatBuffer.wrap(mean));
        rv.set(FloatBuffer.wrap(var));
        return new float[][] {mean, var};
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }

    @Override
    public String toString() {
        return "BatchChannelNorm(mode=" + mode + ", groups=" + (requestedGroups == 0 ? "auto" : requestedGroups)
                + ", eps=" + eps + ", rate=" + updateRate + ")";
    }

    /** Builds a {@link BatchChannelNorm}: MICRO mode, 32 groups, eps 1e-5, per-group affine, rate 0 until set. */
    public static final class Builder {
        private int groups = 32;
        private float eps = 1e-5f;
        private Mode mode = Mode.MICRO;
        private boolean channelAffine;
        private float updateRate;

        private Builder() {}

        /** Number of groups; 0 picks min(32, C/4) from the input. */
        public Builder optGroups(int groups) {
            if (groups < 0) {
                throw new IllegalArgumentException("BCN groups must be positive (or 0 for auto), got " + groups);
            }
            this.groups = groups;
            return this;
        }

        public Builder optEps(float eps) {
            this.eps = eps;
            return this;
        }

        public Builder optMode(Mode mode) {
            this.mode = mode;
            return this;
        }

        /** Per-channel group-norm affine instead of the official per-group one. */
        public Builder optChannelAffine(boolean channelAffine) {
            this.channelAffine = channelAffine;
            return this;
        }

        /** Initial update rate (normally set from the learning rate at every step). */
        public Builder optUpdateRate(float rate) {
            this.updateRate = rate;
            return this;
        }

        public BatchChannelNorm build() {
            return new BatchChannelNorm(this);
        }
    }
}
