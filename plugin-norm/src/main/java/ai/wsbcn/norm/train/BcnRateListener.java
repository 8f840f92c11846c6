package ai.wsbcn.norm.train;

import ai.djl.nn.Block;
import ai.djl.training.Trainer;
import ai.djl.training.listener.TrainingListenerAdapter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.function.DoubleSupplier;

/**
 * Ties the micro-batch BCN update rate to the learning rate, as the paper prescribes (r = current lr): before each
 * training batch every {@code BatchChannelNorm} of the model gets the rate in force; the rate is logged every
 * {@code logEvery} batches, and a rate of 0 during training is a warning (the official snippet defaults it to 0, so
 * estimates silently never move). Use with a DJL Trainer, or call {@link #apply()} from a custom loop.
 */
public final class BcnRateListener extends TrainingListenerAdapter {

    private static final Logger LOG = LoggerFactory.getLogger(BcnRateListener.class);

    private final Block model;
    private final DoubleSupplier learningRate;
    private final int logEvery;
    private long batches;
    private boolean warned;

    /**
     * @param learningRate the learning rate in force (e.g. {@code sgd::currentLearningRate})
     * @param logEvery log the rate every this many batches (0: never)
     */
    public BcnRateListener(Block model, DoubleSupplier learningRate, int logEvery) {
        this.model = model;
        this.learningRate = learningRate;
        this.logEvery = logEvery;
    }

    @Override
    public void onTrainingBatch(Trainer trainer, BatchData batchData) {
        apply();
    }

    /** Sets the rate on every BCN layer now; returns the rate. */
    public float apply() {
        float rate = (float) learningRate.getAsDouble();
        int layers = BcnRates.set(model, rate);
        if (layers > 0) {
            if (rate == 0f && !warned) {
                warned = true;
                LOG.warn("BCN update rate is 0 during training: the running estimates of {} BCN layers will not move",
                        layers);
            }
            if (logEvery > 0 && batches % logEvery == 0) {
                LOG.info("BCN update rate {} ({} layers)", rate, layers);
            }
        }
        batches++;
        return rate;
    }
}
