package ai.wsbcn.norm.train;

import ai.wsbcn.norm.engine.ScalarOps;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.util.Pair;
import ai.wsbcn.norm.engine.GradientLeaves;
import ai.wsbcn.norm.engine.HostRowStandardization;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;

/**
 * Gradient accumulation ("iteration size" N): N micro-batches of 1–2 images are forwarded and back-propagated one
 * after the other, their gradients summed in the parameters' own gradient arrays, and ONE optimizer step is taken
 * on the average — the same update as one batch of N for norms without batch dependence (GN, GN+WS). The gradients
 * are zeroed once per update; PyTorch's backward adds to a gradient anyway, and on MXNet, whose backward overwrites
 * it, the parameters' gradient request is "add to" for the update's micro-batches (and back to "write" after).
 * Until 2026-12-06 every micro-batch zeroed the gradients and copied them into buffers of its own, which took
 * longer (ResNet-50 gn at 1x224, N = 4, interleaved: 1.338 against 1.263 s per update on MXNet, 0.929 against
 * 0.914 s on PyTorch). Before the first forward of an update, every BCN
 * layer's update rate is set to the update's learning rate (paper, Algorithm 1).
 *
 * <p>Weight standardisation once per update: the weights do not change between the micro-batches of an update, so
 * each weight-standardised convolution can compute W_hat once (outside autograd) as a gradient leaf that sums its
 * gradient over the micro-batches, and carry that sum to the weight once after the last one (exact: the Jacobian is
 * the same for every micro-batch). On MXNet both halves run on the host in MXNet's memory
 * ({@link HostRowStandardization}), several times faster than MXNet's operators, so there it is on at EVERY
 * iteration size, N = 1 included: per update, ResNet-50 at 1x224, interleaved rounds on 2 threads (2026-12-06),
 * N = 1 0.429-0.464 s against 0.436-0.529 s per-micro-batch WS (gn: 0.353-0.416 s), N = 2 0.787 against 0.849 s,
 * N = 4 1.339-1.360 against 1.732-1.747 s (gn 1.293-1.379 s). Where the host route does
 * not apply (switched off, or the portable kernels) MXNet holds from {@link #AUTO_WS_ONCE_MIN_ITER_SIZE}
 * micro-batches, with the hold and release on its operators (a fixed extra forward and backward per update that
 * pays from a few micro-batches up). On PyTorch it is off unless asked for: 2-9 % faster for ResNet-50 (N = 2 to 8)
 * but 9-13 % slower for resnet8 at N = 32. {@code optWsOncePerUpdate} or the system property
 * {@code wsbcn.wsOncePerUpdate} ({@code true}, {@code false}, {@code auto}) overrides the choice, at any N.
 *
 * <p>Runs on its own with the engine's gradient collector, or under a DJL {@link Trainer}'s collector
 * ({@code optTrainer}); either way the {@link Sgd} is applied directly to the parameters, never through
 * {@code Trainer.step()}, whose MXNet parameter server (a KVStore with its own copy of each weight) lost every
 * update after the first with this optimizer (PyTorch's was exact). Tested equal on both engines.
 */
public final class MicroBatchTrainer {

    private final Block model;
    private final Sgd optimizer;
    private final int iterSize;
    private final Trainer trainer;
    /** Whether to hold W_hat once per update; null: chosen from the model's engine and the iteration size. */
    private final Boolean wsOncePerUpdate;

    /**
     * The iteration size from which, on MXNet without the host route, WS weights are standardised once per update
     * unless told otherwise.
     */
    public static final int AUTO_WS_ONCE_MIN_ITER_SIZE = 4;
    private final List<Parameter> trainable = new ArrayList<>();
    /**
     * The trainable parameters whose gradients the micro-batches' backward passes produce: all, except the weights of
     * held WS convolutions (their gradients are written once, by the release).
     */
    private List<Parameter> backpropagated = trainable;
    /** {@link #trainable} without the held WS weights: what {@link #backpropagated} is during a hold. */
    private List<Parameter> notHeld;
    private HeldWeights held;
    private boolean primed;
    private boolean heldComplete;
    private long steps;

    private MicroBatchTrainer(Builder b) {
        model = b.model;
        optimizer = b.optimizer;
        iterSize = b.iterSize;
        trainer = b.trainer;
        wsOncePerUpdate = b.wsOncePerUpdate;
    }

    public static Builder builder() {
        return new Builder();
    }

    public int iterSize() {
        return iterSize;
    }

    public Sgd optimizer() {
        return optimizer;
    }

    /**
     * One update: calls {@code microLoss} for micro-batches 0..N-1 (each must run the forward and return the scalar
     * loss of that micro-batch, averaged over its samples), back-propagates {@code loss / N}, then steps.
     *
     * @return the mean loss over the N micro-batches
     */
    public float step(IntFunction<NDArray> microLoss) {
        if (trainable.isEmpty()) {
            for (Pair<String, Parameter> p : model.getParameters()) {
                if (p.getValue().requiresGradient() && p.getValue().isInitialized()) {
                    trainable.add(p.getValue());
                }
            }
        }
        BcnRates.set(model, optimizer.currentLearningRate());
        // Ops that start from a parameter leave their results in the parameters' manager; close those after the
        // step. Not on the first step, whose optimizer state (momentum buffers) must live on.
        TransientArrays transients = steps > 0 ? new TransientArrays(trainable.get(0).getArray().getManager()) : null;
        if (transients != null) {
            transients.mark();
        }
        double lossSum = 0;
        holdStandardizedWeights();
        try {
            lossSum = microBatches(microLoss);
        } finally {
            releaseStandardizedWeights();
        }
        // Not trainer.step(), even with a DJL Trainer: on MXNet its parameter server (a KVStore holding its own copy
        // of every weight) lost every update after the first (MicroBatchTrainerTest, throughADjlTrainer...).
        for (Parameter p : trainable) {
            NDArray w = p.getArray();
            optimizer.update(p.getId(), w, w.getGradient());
        }
        optimizer.advance();
        if (transients != null) {
            transients.sweep();
        }
        steps++;
        return (float) (lossSum / iterSize);
    }

    private void holdStandardizedWeights() {
        if (!holdsWeightsOncePerUpdate()) {
            return;
        }
        if (!primed) {
            primeWeightGradients();
            primed = true;
        }
        held().hold();
        if (notHeld == null) {
            notHeld = new ArrayList<>(trainable);
            notHeld.removeAll(held().weights());
        }
        backpropagated = notHeld;
    }

    /** Carries the held W_hat gradients to the raw weights' gradients, or drops them (the update did not complete). */
    private void releaseStandardizedWeights() {
        if (held == null || !held.isHeld()) {
            return;
        }
        held.release(heldComplete);
        heldComplete = false;
        backpropagated = trainable;
    }

    /**
     * PyTorch creates a parameter's gradient buffer only when a backward reaches the parameter, and DJL hands out a
     * detached zero array until then; a weight that is only read through its held W_hat would never get one, and the
     * released gradient would be lost. One backward of {@code 0 * sum(W)} creates the buffers (values irrelevant:
     * the release overwrites them).
     */
    private void primeWeightGradients() {
        if (held().convolutions().isEmpty()) {
            return;
        }
        try (GradientCollector gc = newCollector()) {
            NDArray total = null;
            for (Parameter w : held().weights()) {
                NDArray t = w.getArray().sum().mul(0);
                total = total == null ? t : total.add(t);
            }
            gc.backward(total);
        }
    }

    private GradientCollector newCollector() {
        return trainer != null ? trainer.newGradientCollector()
                : Engine.getEngine(engineName()).newGradientCollector();
    }

    /** The model's WS convolutions with a trainable weight, found on first use. */
    private HeldWeights held() {
        if (held == null) {
            held = HeldWeights.of(model);
        }
        return held;
    }

    private double microBatches(IntFunction<NDArray> microLoss) {
        double lossSum = 0;
        zeroParameterGradients();
        boolean summing = iterSize > 1;
        if (summing) {
            accumulateParameterGradients(true);
        }
        try {
            for (int k = 0; k < iterSize; k++) {
                try (GradientCollector gc = newCollector()) {
                    NDArray loss = microLoss.apply(k);
                    lossSum += loss.toType(ai.djl.ndarray.types.DataType.FLOAT32, false).getFloat();
                    gc.backward(iterSize == 1 ? loss : ScalarOps.div(loss, iterSize));
                }
                if (k == 0 && summing) {
                    held().accumulateFromNextBackward();
                }
            }
        } finally {
            if (summing) {
                accumulateParameterGradients(false);
            }
        }
        heldComplete = held().isHeld();
        return lossSum;
    }

    /** Whether WS weights are held once per update (see the class comment for the automatic choice). */
    public boolean holdsWeightsOncePerUpdate() {
        if (wsOncePerUpdate != null) {
            return wsOncePerUpdate;
        }
        if (!"MXNet".equals(engineName())) {
            return false;
        }
        return iterSize >= AUTO_WS_ONCE_MIN_ITER_SIZE || held().standardizesOnHost();
    }

    /** The engine of the model's (initialised) parameters, or null before they exist. */
    private String engineName() {
        if (!trainable.isEmpty()) {
            return trainable.get(0).getArray().getManager().getEngine().getEngineName();
        }
        for (Pair<String, Parameter> p : model.getParameters()) {
            if (p.getValue().isInitialized()) {
                return p.getValue().getArray().getManager().getEngine().getEngineName();
            }
        }
        return null;
    }

    /**
     * On MXNet, makes the backward passes add to the parameters' gradients ({@code true}) or overwrite them again
     * ({@code false}, MXNet's and DJL's default, restored after each update). PyTorch always adds.
     */
    private void accumulateParameterGradients(boolean accumulate) {
        if (!"MXNet".equals(engineName())) {
            return;
        }
        for (Parameter p : backpropagated) {
            GradientLeaves.setAccumulating(p.getArray(), accumulate);
        }
    }

    /**
     * Zeroes the gradients of the trainable parameters before an update's first backward (the backward passes add to
     * them, and MXNet leaves those of parameters outside the graph as they were), except held WS weights, whose
     * gradients the release overwrites. Not DJL's {@code zeroGradients()}, which zeroes every array with a gradient:
     * the held W_hat leaves must keep summing over the micro-batches.
     */
    private void zeroParameterGradients() {
        for (Parameter p : backpropagated) {
            try (NDArray g = p.getArray().getGradient()) {
                g.subi(g);
            }
        }
    }

    /** Builds a {@link MicroBatchTrainer}. */
    public static final class Builder {
        private Block model;
        private Sgd optimizer;
        private int iterSize = 1;
        private Trainer trainer;
        // a system property too, so that benchmarks can compare both without a flag on every command
        private Boolean wsOncePerUpdate = wsOncePerUpdateProperty();

        private Builder() {}

        public Builder setModel(Block model) {
            this.model = model;
            return this;
        }

        /** The optimizer, applied by this trainer to every trainable parameter once per update. */
        public Builder setOptimizer(Sgd optimizer) {
            this.optimizer = optimizer;
            return this;
        }

        /** Micro-batches per update (N). */
        public Builder optIterSize(int iterSize) {
            if (iterSize < 1) {
                throw new IllegalArgumentException("iteration size must be >= 1, got " + iterSize);
            }
            this.iterSize = iterSize;
            return this;
        }

        /**
         * Run the micro-batches under a DJL Trainer's gradient collector (so that its metrics see them). The update is
         * still this trainer's optimizer applied directly, not {@code Trainer.step()}.
         */
        public Builder optTrainer(Trainer trainer) {
            this.trainer = trainer;
            return this;
        }

        /**
         * Standardise WS weights once per update rather than per micro-batch (exact, see the class comment), at any
         * N. Default: on MXNet at every N while the host route applies (from {@link #AUTO_WS_ONCE_MIN_ITER_SIZE}
         * micro-batches per update otherwise), off on PyTorch, or the system property {@code wsbcn.wsOncePerUpdate}.
         */
        public Builder optWsOncePerUpdate(boolean once) {
            this.wsOncePerUpdate = once;
            return this;
        }

        private static Boolean wsOncePerUpdateProperty() {
            String v = System.getProperty("wsbcn.wsOncePerUpdate", "auto").trim();
            switch (v) {
                case "auto":
                    return null;
                case "true":
                case "false":
                    return Boolean.valueOf(v);
                default:
                    throw new IllegalArgumentException("-Dwsbcn.wsOncePerUpdate must be true, false or auto, got '"
                            + v + "'");
            }
        }

        public MicroBatchTrainer build() {
            if (model == null || optimizer == null) {
                throw new IllegalArgumentException("MicroBatchTrainer needs a model and an optimizer");
            }
            return new MicroBatchTrainer(this);
        }
    }
}
