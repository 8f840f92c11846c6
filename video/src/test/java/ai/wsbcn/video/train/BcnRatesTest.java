package ai.wsbcn.video.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.wsbcn.norm.BatchChannelNorm;
import ai.wsbcn.norm.train.BcnRates;
import ai.wsbcn.video.model.TsmModelSpec;
import ai.wsbcn.video.model.TsmNetwork;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Every BCN layer of a TSM network gets the learning rate as its update rate (capped at 1: a larger rate would carry
 * the estimates past the batch statistics); other norms are untouched.
 */
class BcnRatesTest {

    @Test
    void setsEveryBcnLayer() {
        try (NDManager m = Engine.getInstance().newBaseManager()) {
            TsmNetwork net = new TsmModelSpec("resnet8w8", "bcn+ws", 2, 8, true, 1, 0.5f, 8, 8, List.of("a", "b"))
                    .buildInitialized(m);
            List<BatchChannelNorm> found = new ArrayList<>();
            collect(net, found);
            // stem 1 + three basic units x 2 + two downsample norms = 9
            assertEquals(9, found.size());
            assertEquals(9, BcnRates.set(net, 0.0125f));
            for (BatchChannelNorm b : found) {
                assertEquals(0.0125f, b.getUpdateRate());
            }
            BcnRates.set(net, 2f);
            for (BatchChannelNorm b : found) {
                assertEquals(1f, b.getUpdateRate());
            }
            TsmNetwork gn = new TsmModelSpec("resnet8w8", "gn+ws", 2, 8, true, 1, 0.5f, 8, 8, List.of("a", "b"))
                    .build();
            assertEquals(0, BcnRates.set(gn, 0.1f));
        }
    }

    private static void collect(Block b, List<BatchChannelNorm> out) {
        if (b instanceof BatchChannelNorm bcn) {
            out.add(bcn);
        }
        b.getChildren().values().forEach(c -> collect(c, out));
    }
}
