package ai.wsbcn.norm.train;

import ai.djl.nn.Block;
import ai.djl.util.Pair;
import ai.wsbcn.norm.BatchChannelNorm;

import java.util.ArrayList;
import java.util.List;

/** Finds the micro-batch BCN layers of a model and sets their update rate (the paper: r = current learning rate). */
public final class BcnRates {

    private BcnRates() {}

    /** Every {@link BatchChannelNorm} in the tree under {@code block}. */
    public static List<BatchChannelNorm> find(Block block) {
        List<BatchChannelNorm> out = new ArrayList<>();
        collect(block, out);
        return out;
    }

    private static void collect(Block b, List<BatchChannelNorm> out) {
        if (b instanceof BatchChannelNorm) {
            out.add((BatchChannelNorm) b);
        }
        for (Pair<String, Block> c : b.getChildren()) {
            collect(c.getValue(), out);
        }
    }

    /** Sets the update rate of every BCN under {@code block}; returns how many there are. */
    public static int set(Block block, float rate) {
        List<BatchChannelNorm> layers = find(block);
        for (BatchChannelNorm l : layers) {
            l.setUpdateRate(Math.min(1f, rate));
        }
        return layers.size();
    }
}
