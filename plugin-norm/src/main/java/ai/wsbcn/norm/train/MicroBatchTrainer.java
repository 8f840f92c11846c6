package ai.wsbcn.norm.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.util.Pair;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;

/**
 * Gradient accumulation ("iteration size" N): N micro-batches of 1–2 images are forwarded and back-propagated one
 * after the other, their gradients summed in buffers of our own, and ONE optimizer step is taken on the average —
 * the same update as one batch of N for norms without batch dependence (GN, GN+WS). Engines differ in what a second
 * backward does to a gradient (MXNet overwrites it, PyTorch adds to it); zeroing before each backward and summing
 * here makes both behave the same. Before the first forward of an update, every BCN layer's update rate is set to
 * the update's learning rate (paper, Algorithm 1).
 *
 * <p>Works with a DJL {@link Trainer} (its collector and {@code step()}, so its listeners and metrics still apply) or
 * on its own with the engine's collector and the {@link Sgd} applied directly.
 */
public final class MicroBatchTrainer {

    private final Block model;
    private final Sgd optimizer;
    private final int iterSize;
    private final Trainer trainer;
    private final List<Parameter> trainable = new ArrayList<>();
    private NDArray[] sums;
    private long steps;

    private MicroBatchTrainer(Builder b) {
        model = b.model;
        optimizer = b.optimizer;
        iterSize = b.iterSize;
        trainer = b.trainer;
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
        for (int k = 0; k < iterSize; k++) {
            try (GradientCollector gc = trainer != null ? trainer.newGradientCollector()
                    : Engine.getEngine(managerEngine()).newGradientCollector()) {
                gc.zeroGradients();
                NDArray loss = microLoss.apply(k);
                lossSum += loss.toType(ai.djl.ndarray.types.DataType.FLOAT32, false).getFloat();
                gc.backward(iterSize == 1 ? loss : loss.div(iterSize));
            }
            if (iterSize > 1) {
                accumulate(k == iterSize - 1);
            }
        }
        if (trainer != null) {
            trainer.step();
        } else {
            for (Parameter p : trainable) {
                NDArray w = p.getArray();
                optimizer.update(p.getId(), w, w.getGradient());
            }
        }
        optimizer.advance();
        if (transients != null) {
            transients.sweep();
        }
        steps++;
        return (float) (lossSum / iterSize);
    }

    private String managerEngine() {
        return trainable.get(0).getArray().getManager().getEngine().getEngineName();
    }

    /** Adds this micro-batch's gradients to the sums; after the last one, writes the sums back as the gradients. */
    private void accumulate(boolean last) {
        if (sums == null) {
            sums = new NDArray[trainable.size()];
        }
        for (int i = 0; i < trainable.size(); i++) {
            NDArray grad = trainable.get(i).getArray().getGradient();
            if (sums[i] == null) {
                sums[i] = grad.duplicate();
                sums[i].attach(trainable.get(i).getArray().getManager());
            } else {
                sums[i].addi(grad);
            }
            if (last) {
                // the gradient array is the one the optimizer reads: overwrite it in place with the sum
                grad.muli(0).addi(sums[i]);
                sums[i].muli(0);
            }
        }
        if (last) {
            for (int i = 0; i < sums.length; i++) {
                sums[i].close();
                sums[i] = null;
            }
        }
    }

    /** Builds a {@link MicroBatchTrainer}. */
    public static final class Builder {
        private Block model;
        private Sgd optimizer;
        private int iterSize = 1;
        private Trainer trainer;

        private Builder() {}

        public Builder setModel(Block model) {
            this.model = model;
            return this;
        }

        /** The optimizer; with a DJL Trainer it must be the one in the trainer's config. */
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

        /** Run through a DJL Trainer (its gradient collector and step). */
        public Builder optTrainer(Trainer trainer) {
            this.trainer = trainer;
            return this;
        }

        public MicroBatchTrainer build() {
            if (model == null || optimizer == null) {
                throw new IllegalArgumentException("MicroBatchTrainer needs a model and an optimizer");
            }
            return new MicroBatchTrainer(this);
        }
    }
}
