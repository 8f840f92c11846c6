package ai.wsbcn.norm.train;

import ai.djl.nn.Block;
import ai.djl.training.Trainer;
import ai.djl.training.listener.TrainingListenerAdapter;
import ai.djl.training.tracker.Tracker;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.function.DoubleSupplier;
import java.util.function.LongToDoubleFunction;

/**
 * Ties the micro-batch BCN update rate to the learning rate, as the paper prescribes (r = current lr): every
 * {@code BatchChannelNorm} of the model gets the rate of the batch about to run; the rate is logged every
 * {@code logEvery} batches, and a rate of 0 during training is a warning (the official snippet defaults it to 0, so
 * estimates silently never move).
 *
 * <p>With DJL's {@link Trainer}: the listener sets batch 0's rate when the trainer is created
 * ({@code onTrainingBegin}) and batch k+1's after batch k ({@code onTrainingBatch}, which DJL calls after the
 * backward, before the optimizer step). Built from the optimizer's learning-rate {@link Tracker} (one update per
 * batch, as DJL's Trainer does), batch k runs at {@code tracker.getNewValue(k)}, exactly the rate its update uses.
 * Built from a {@link DoubleSupplier}, batch k+1 gets what the supplier returns after batch k. In a loop of your own,
 * call {@link #apply()} before each forward.
 */
public final class BcnRateListener extends TrainingListenerAdapter {

    private static final Logger LOG = LoggerFactory.getLogger(BcnRateListener.class);

    private final Block model;
    private final LongToDoubleFunction rateOfBatch;
    private final int logEvery;
    private long batch;
    private boolean warned;

    /**
     * @param learningRate the learning rate in force (e.g. {@code sgd::currentLearningRate})
     * @param logEvery log the rate every this many batches (0: never)
     */
    public BcnRateListener(Block model, DoubleSupplier learningRate, int logEvery) {
        this(model, (LongToDoubleFunction) b -> learningRate.getAsDouble(), logEvery);
    }

    /**
     * @param learningRate the optimizer's learning-rate tracker: batch k runs at {@code getNewValue(k)}
     * @param logEvery log the rate every this many batches (0: never)
     */
    public BcnRateListener(Block model, Tracker learningRate, int logEvery) {
        this(model, (LongToDoubleFunction) b -> learningRate.getNewValue(Math.toIntExact(b)), logEvery);
    }

    private BcnRateListener(Block model, LongToDoubleFunction rateOfBatch, int logEvery) {
        this.model = model;
        this.rateOfBatch = rateOfBatch;
        this.logEvery = logEvery;
    }

    @Override
    public void onTrainingBegin(Trainer trainer) {
        apply();
    }

    @Override
    public void onTrainingBatch(Trainer trainer, BatchData batchData) {
        batch++;
        apply();
    }

    /** Sets the rate of the next batch on every BCN layer now; returns the rate. */
    public float apply() {
        float rate = (float) rateOfBatch.applyAsDouble(batch);
        int layers = BcnRates.set(model, rate);
        if (layers > 0) {
            if (rate == 0f && !warned) {
                warned = true;
                LOG.warn("BCN update rate is 0 during training: the running estimates of {} BCN layers will not move",
                        layers);
            }
            if (logEvery > 0 && batch % logEvery == 0) {
                LOG.info("BCN update rate {} at batch {} ({} layers)", rate, batch, layers);
            }
        }
        return rate;
    }
}
