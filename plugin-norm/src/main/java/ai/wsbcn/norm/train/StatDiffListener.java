package ai.wsbcn.norm.train;

import ai.djl.nn.Block;
import ai.wsbcn.norm.ActivationProbe;
import ai.wsbcn.norm.BatchChannelNorm;
import ai.wsbcn.norm.BlockPaths;
import ai.wsbcn.norm.GroupNorm;
import ai.wsbcn.report.CsvLog;
import ai.djl.training.Trainer;
import ai.djl.training.listener.TrainingListenerAdapter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.util.IdentityHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Diagnostics of elimination singularities during training: every {@code every} updates, one forward pass is
 * observed through an {@link ActivationProbe}; for each normalisation layer it records the StatDiff of its input
 * (the output of the convolution before it) and the fraction of channels dead after the norm and ReLU, logs a
 * summary and appends one CSV row per layer ({@code update,layer,statdiff,dead_fraction}).
 *
 * <p>With DJL's {@link Trainer} (one update per batch) it observes batches 0, every, 2*every, ... by itself: DJL
 * has no hook before a forward, so the probe for batch k is opened when the trainer is created (k = 0) or after batch
 * k-1 ({@code onTrainingBatch}), and read after batch k. In a loop of your own: {@code if (listener.due(update)) try
 * (ActivationProbe p = ActivationProbe.open()) { forward (or an update's micro-batches: the first forward of each
 * layer is kept); listener.record(update, p); }}. Close the listener to flush its CSV.
 */
public final class StatDiffListener extends TrainingListenerAdapter implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(StatDiffListener.class);

    private final Map<Block, String> names = new IdentityHashMap<>();
    private final int every;
    private final CsvLog csv;

    public StatDiffListener(Block model, Path csvFile, int every) throws IOException {
        for (Map.Entry<String, Block> e : BlockPaths.blocks(model).entrySet()) {
            names.put(e.getValue(), e.getKey());
        }
        this.every = Math.max(1, every);
        this.csv = CsvLog.create(csvFile, "update", "layer", "statdiff", "dead_fraction");
    }

    /** The probe open for the Trainer's next batch, if that batch is due. */
    private ActivationProbe pending;
    private long batch;

    @Override
    public void onTrainingBegin(Trainer trainer) {
        batch = 0;
        openIfDue();
    }

    @Override
    public void onTrainingBatch(Trainer trainer, BatchData batchData) {
        if (pending != null) {
            pending.close();
            record(batch, pending);
            pending = null;
        }
        batch++;
        openIfDue();
    }

    @Override
    public void onTrainingEnd(Trainer trainer) {
        if (pending != null) {
            pending.close();
            pending = null;
        }
    }

    private void openIfDue() {
        if (due(batch)) {
            pending = ActivationProbe.open();
        }
    }

    /** Whether update {@code update} should be observed. */
    public boolean due(long update) {
        return update % every == 0;
    }

    /** Computes, logs and writes the statistics of the forward observed by {@code probe}. */
    public void record(long update, ActivationProbe probe) {
        double sumStatDiff = 0;
        double maxDead = 0;
        String worst = "";
        int layers = 0;
        for (ActivationProbe.Capture c : probe.captures()) {
            long[] s = c.shape();
            int n = (int) s[0];
            int ch = (int) s[1];
            int hw = (int) (s[2] * s[3]);
            int groups = groupsOf(c.layer(), ch);
            double sd = ChannelStatistics.statDiff(c.input(), n, ch, hw, groups);
            double dead = ChannelStatistics.deadFraction(c.output(), n, ch, hw);
            String name = names.getOrDefault(c.layer(), c.layer().getClass().getSimpleName());
            csv.row(update, name, sd, dead);
            sumStatDiff += sd;
            if (dead >= maxDead) {
                maxDead = dead;
                worst = name;
            }
            layers++;
        }
        if (layers > 0) {
            LOG.info(String.format(Locale.ROOT, "update %d: mean StatDiff %.3f over %d norm layers; most dead channels:"
                    + " %.1f%% in %s", update, sumStatDiff / layers, layers, 100 * maxDead, worst));
        }
    }

    private static int groupsOf(Block layer, int channels) {
        int g = layer instanceof GroupNorm ? ((GroupNorm) layer).getGroups()
                : layer instanceof BatchChannelNorm ? ((BatchChannelNorm) layer).getGroups()
                : Math.max(1, Math.min(32, channels / 4));
        return g > 0 && channels % g == 0 ? g : 1;
    }

    @Override
    public void close() throws IOException {
        if (pending != null) {
            pending.close();
            pending = null;
        }
        csv.close();
    }
}
