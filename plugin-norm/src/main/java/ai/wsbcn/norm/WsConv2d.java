package ai.wsbcn.norm;

import ai.djl.mxnet.engine.MxNDArray;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import ai.wsbcn.norm.engine.GradientLeaves;
import ai.wsbcn.norm.engine.HostRowStandardization;
import ai.wsbcn.norm.engine.NormKernels;
import ai.wsbcn.norm.engine.ScalarOps;
import ai.wsbcn.util.ArrayOverwrite;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A 2-D convolution whose weight is standardised per output channel in every forward pass (Weight Standardization).
 * It IS a DJL {@link Conv2d} (same parameters {@code weight} (O, I/groups, kh, kw) and {@code bias} (O), same
 * configuration getters), so code that walks a model for convolutions keeps working; only the weight seen by the
 * convolution differs. The gradient flows to the raw weight through the standardisation.
 */
public final class WsConv2d extends Conv2d {

    private final float eps;
    private final WsConvention convention;
    /** The standardised weight held fixed for the micro-batches of one update (a gradient leaf), or null. */
    private NDArray held;
    /** On MXNet: W_hat's array and row factors, kept from update to update; null until the first host hold. */
    private HostRowStandardization.Rows hostRows;
    /** Whether {@link #held} is {@code hostRows}' array (kept) rather than one made for this hold (freed). */
    private boolean heldOnHost;

    private WsConv2d(Builder b) {
        super(b);
        eps = b.eps;
        convention = b.convention;
    }

    public static Builder builder() {
        return new Builder();
    }

    public float getEps() {
        return eps;
    }

    public WsConvention getConvention() {
        return convention;
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
            PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        NDArray w = ps.getValue(weight, x.getDevice(), training);
        NDArray b = includeBias ? ps.getValue(bias, x.getDevice(), training) : null;
        NDArray wHat = training && held != null ? held
                : NormKernels.forArray(w, training).standardizeRows(w, eps, convention, training, x.getManager());
        return Conv2d.conv2d(x, wHat, b, stride, padding, dilation, groups);
    }

    /**
     * Standardises the weight once and uses that array in every training forward until
     * {@link #releaseStandardizedWeight}: with gradient accumulation the weight does not change between the
     * micro-batches of an update, so recomputing W_hat (and back-propagating through it) per micro-batch is wasted
     * work. The returned array is a gradient leaf, to be passed with its gradient to
     * {@link #releaseStandardizedWeight}; for that gradient to sum over several backward passes, call
     * {@link #accumulateHeldGradients} after the first one.
     */
    public NDArray holdStandardizedWeight() {
        return holdStandardizedWeights(List.of(this)).get(0);
    }

    /**
     * {@link #holdStandardizedWeight} for many convolutions at once, returning their held W_hat in order. On MXNet
     * the standardisation runs on the host over all rows of all weights together, into arrays kept from update to
     * update ({@link HostRowStandardization}); elsewhere on the engine's fused operators with nothing recorded, into
     * new arrays.
     */
    public static List<NDArray> holdStandardizedWeights(List<WsConv2d> convs) {
        List<HostRowStandardization.Rows> onHost = new ArrayList<>();
        for (WsConv2d c : convs) {
            if (c.held != null) {
                throw new IllegalStateException("the standardised weight of " + c + " is already held");
            }
            NDArray w = c.weight.getArray();
            if (HostRowStandardization.supports(w)) {
                if (c.hostRows == null || !c.hostRows.serves(w, c.eps, c.convention)) {
                    if (c.hostRows != null) {
                        c.hostRows.close();
                    }
                    c.hostRows = new HostRowStandardization.Rows(w, c.eps, c.convention);
                }
                onHost.add(c.hostRows);
                c.heldOnHost = true;
            }
        }
        HostRowStandardization.standardize(onHost.toArray(new HostRowStandardization.Rows[0]));
        List<NDArray> leaves = new ArrayList<>();
        for (WsConv2d c : convs) {
            if (c.heldOnHost) {
                c.held = c.hostRows.standardized();
                GradientLeaves.setAccumulating(c.held, false);
            } else {
                c.held = WeightStandardization.standardizeDetached(c.weight.getArray(), c.eps, c.convention);
                GradientLeaves.requireAccumulatingGradient(c.held);
            }
            leaves.add(c.held);
        }
        return leaves;
    }

    /**
     * Makes the held W_hat gradients of {@code convs} sum over the backward passes that follow, instead of being
     * overwritten by them (the first backward after a hold on MXNet's host route writes, so that no gradient needs
     * zeroing). Call it after the first backward of an update that has more than one.
     */
    public static void accumulateHeldGradients(List<WsConv2d> convs) {
        for (WsConv2d c : convs) {
            if (c.held != null && c.heldOnHost) {
                GradientLeaves.setAccumulating(c.held, true);
            }
        }
    }

    /**
     * Ends a hold: carries {@code summedGradient} (the gradient of the held W_hat summed over the update's
     * micro-batches, or null to drop it) to the raw weight's gradient, and frees the held array. See
     * {@link #releaseStandardizedWeights}, which does this for many convolutions with one backward pass.
     */
    public void releaseStandardizedWeight(NDArray summedGradient) {
        releaseStandardizedWeights(List.of(this), Collections.singletonList(summedGradient));
    }

    /**
     * Ends the holds of {@code convs}, each with its summed W_hat gradient (or null when the gradients are dropped):
     * OVERWRITES each raw weight's gradient with its share (the weights took no part in the micro-batches), and frees
     * the arrays that were held only for this update.
     *
     * <p>Weights held on the host ({@link HostRowStandardization}) get their gradient from the closed form there.
     * The others get W_hat's Jacobian applied to the sum by autograd through the same fused standardisation as a
     * training forward, with the head {@code sum_i sum(W_hat_i * G_i)}: one more forward and ONE backward for all
     * of them. That replaced a closed form composed of NDArray operations, which made ResNet-50 updates at 4
     * micro-batches slower than not holding at all (1.80 against 1.70 s on MXNet, 1.36 against 1.27 s on PyTorch).
     */
    public static void releaseStandardizedWeights(List<WsConv2d> convs, List<NDArray> summedGradients) {
        if (convs.size() != summedGradients.size()) {
            throw new IllegalArgumentException(convs.size() + " convolutions but " + summedGradients.size()
                    + " gradients");
        }
        List<NDArray> transientArrays = new ArrayList<>();
        List<HostRowStandardization.Rows> onHost = new ArrayList<>();
        List<NDArray> hostGradients = new ArrayList<>();
        List<WsConv2d> onEngine = new ArrayList<>();
        List<NDArray> engineGradients = new ArrayList<>();
        for (int i = 0; i < convs.size(); i++) {
            WsConv2d c = convs.get(i);
            NDArray g = summedGradients.get(i);
            if (c.held != null && !c.heldOnHost) {
                transientArrays.add(c.held);
            }
            if (g != null && c.heldOnHost) {
                onHost.add(c.hostRows);
                hostGradients.add(g);
            } else if (g != null) {
                onEngine.add(c);
                engineGradients.add(g);
            }
            c.held = null;
            c.heldOnHost = false;
        }
        try {
            releaseOnHost(onHost, hostGradients);
            releaseThroughAutograd(onEngine, engineGradients);
        } finally {
            for (NDArray a : transientArrays) {
                a.close();
            }
        }
    }

    private static void releaseOnHost(List<HostRowStandardization.Rows> rows, List<NDArray> gradients) {
        if (rows.isEmpty()) {
            return;
        }
        NDArray[] weightGradients = new NDArray[rows.size()];
        try {
            for (int i = 0; i < weightGradients.length; i++) {
                weightGradients[i] = rows.get(i).weight().getGradient();
            }
            HostRowStandardization.backward(rows.toArray(new HostRowStandardization.Rows[0]),
                    gradients.toArray(new NDArray[0]), weightGradients);
        } finally {
            for (NDArray g : weightGradients) {
                if (g != null) {
                    g.close(); // a second handle on the gradient; the gradient itself lives on
                }
            }
        }
    }

    private static void releaseThroughAutograd(List<WsConv2d> convs, List<NDArray> summedGradients) {
        if (convs.isEmpty()) {
            return;
        }
        try (GradientCollector gc = convs.get(0).weight.getArray().getManager().getEngine().newGradientCollector()) {
            NDArray head = null;
            for (int i = 0; i < convs.size(); i++) {
                WsConv2d c = convs.get(i);
                NDArray w = c.weight.getArray();
                if (!(w instanceof MxNDArray)) {
                    // PyTorch adds a backward's gradient to the one there: zero it so that the release overwrites
                    try (NDArray grad = w.getGradient()) {
                        grad.subi(grad);
                    }
                }
                NDArray wHat = NormKernels.forArray(w, true).standardizeRows(w, c.eps, c.convention, true);
                NDArray term = ScalarOps.innerProduct(wHat, summedGradients.get(i));
                head = head == null ? term : head.add(term);
            }
            gc.backward(head);
        }
    }

    /** Whether a standardised weight is held (between {@link #holdStandardizedWeight} and its release). */
    public boolean isHoldingStandardizedWeight() {
        return held != null;
    }

    /**
     * A plain {@link Conv2d} computing the same function with the standardised weight baked in, for inference and
     * export: it skips the per-forward standardisation. This block must be initialised; the returned one is
     * initialised in {@code manager}.
     */
    public Conv2d fold(NDManager manager) {
        Parameter w = getParameters().get("weight");
        if (!w.isInitialized()) {
            throw new IllegalStateException("fold() needs an initialised WsConv2d");
        }
        Conv2d plain = Conv2d.builder().setKernelShape(kernelShape).setFilters(filters).optStride(stride)
                .optPadding(padding).optDilation(dilation).optGroups(groups).optBias(includeBias).build();
        Shape[] shapes = getInputShapes();
        plain.initialize(manager, DataType.FLOAT32, shapes);
        try (NDManager scratch = manager.newSubManager()) {
            NDArray wHat = WeightStandardization.standardize(w.getArray().duplicate(), eps, convention);
            wHat.attach(scratch);
            ArrayOverwrite.from(wHat, plain.getParameters().get("weight").getArray());
            if (includeBias) {
                ArrayOverwrite.from(getParameters().get("bias").getArray(),
                        plain.getParameters().get("bias").getArray());
            }
        }
        return plain;
    }

    @Override
    public String toString() {
        return "WsConv2d(" + filters + ", kernel=" + kernelShape + ", stride=" + stride + ", padding=" + padding
                + ", dilation=" + dilation + ", groups=" + groups + ", bias=" + includeBias + ", eps=" + eps + ", "
                + convention + ")";
    }

    /**
     * Builds a {@link WsConv2d}: the settings of {@link Conv2d.Builder} (each returning this builder, so they chain
     * with the WS settings) plus eps (1e-5) and the convention (biased variance).
     */
    public static final class Builder extends Conv2d.Builder {
        private float eps = WeightStandardization.DEFAULT_EPS;
        private WsConvention convention = WsConvention.BIASED_VAR;

        private Builder() {}

        @Override
        protected Builder self() {
            return this;
        }

        @Override
        public Builder setKernelShape(Shape kernelShape) {
            super.setKernelShape(kernelShape);
            return this;
        }

        @Override
        public Builder setFilters(int filters) {
            super.setFilters(filters);
            return this;
        }

        @Override
        public Builder optStride(Shape stride) {
            super.optStride(stride);
            return this;
        }

        @Override
        public Builder optPadding(Shape padding) {
            super.optPadding(padding);
            return this;
        }

        @Override
        public Builder optDilation(Shape dilation) {
            super.optDilation(dilation);
            return this;
        }

        @Override
        public Builder optGroups(int groups) {
            super.optGroups(groups);
            return this;
        }

        @Override
        public Builder optBias(boolean bias) {
            super.optBias(bias);
            return this;
        }

        public Builder optEps(float eps) {
            if (!(eps >= 0f)) {
                throw new IllegalArgumentException("WS eps must be >= 0, got " + eps);
            }
            this.eps = eps;
            return this;
        }

        public Builder optConvention(WsConvention convention) {
            this.convention = java.util.Objects.requireNonNull(convention, "convention");
            return this;
        }

        @Override
        public WsConv2d build() {
            validate();
            return new WsConv2d(this);
        }
    }
}
