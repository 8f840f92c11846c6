package ai.wsbcn.video.train;

import ai.djl.nn.Block;
import ai.wsbcn.norm.BatchChannelNorm;

/** Sets the update rate of every {@link BatchChannelNorm} in a block tree (the paper: rate = learning rate). */
final class BcnRates {

    private BcnRates() {}

    /** Returns how many BCN layers were set. */
    static int set(Block root, float rate) {
        int n = 0;
        if (root instanceof BatchChannelNorm bcn) {
            bcn.setUpdateRate(rate);
            n++;
        }
        for (Block child : root.getChildren().values()) {
            n += set(child, rate);
        }
        return n;
    }
}
