package ai.wsbcn.norm.train;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.wsbcn.norm.WsConv2d;
import ai.wsbcn.norm.engine.HostRowStandardization;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Weight standardisation once per update for the WS convolutions of a model, in any training loop: {@link #hold}
 * before an update's first forward, {@link #accumulateFromNextBackward} after its first backward when more follow,
 * and {@link #release} after the last one, which WRITES the weights' gradients (so they need no zeroing, and must
 * not be summed by the loop). Exact: the weights do not change between the micro-batches of an update. Used by
 * {@link MicroBatchTrainer} and by the video trainer; see {@code WsConv2d.holdStandardizedWeights}.
 */
public final class HeldWeights {

    private final List<WsConv2d> convs;
    private List<NDArray> leaves;

    private HeldWeights(List<WsConv2d> convs) {
        this.convs = Collections.unmodifiableList(convs);
    }

    /** The WS convolutions of {@code model} whose weight is trainable. */
    public static HeldWeights of(Block model) {
        List<WsConv2d> convs = new ArrayList<>();
        collect(model, convs);
        return new HeldWeights(convs);
    }

    private static void collect(Block block, List<WsConv2d> out) {
        if (block instanceof WsConv2d ws) {
            if (ws.getParameters().get("weight").requiresGradient()) {
                out.add(ws);
            }
            return;
        }
        for (Block child : block.getChildren().values()) {
            collect(child, out);
        }
    }

    public List<WsConv2d> convolutions() {
        return convs;
    }

    /** The raw weights of the convolutions (their gradients come from {@link #release} while held). */
    public List<Parameter> weights() {
        List<Parameter> out = new ArrayList<>();
        convs.forEach(c -> out.add(c.getParameters().get("weight")));
        return out;
    }

    /**
     * Whether the hold and release run on the host ({@link HostRowStandardization}: MXNet, float32, CPU), where
     * holding pays at every iteration size.
     */
    public boolean standardizesOnHost() {
        if (convs.isEmpty()) {
            return false;
        }
        Parameter w = convs.get(0).getParameters().get("weight");
        return w.isInitialized() && HostRowStandardization.supports(w.getArray());
    }

    public boolean isHeld() {
        return leaves != null;
    }

    /** Standardises every weight once; the forwards use these W_hat until {@link #release}. */
    public void hold() {
        if (leaves != null) {
            throw new IllegalStateException("already held");
        }
        leaves = WsConv2d.holdStandardizedWeights(convs);
    }

    /** After the first backward of an update with more than one: later backward passes add to W_hat's gradients. */
    public void accumulateFromNextBackward() {
        if (leaves != null) {
            WsConv2d.accumulateHeldGradients(convs);
        }
    }

    /**
     * Ends the hold: with {@code keepGradients}, W_hat's gradients (summed over the update's backward passes) are
     * carried to the weights' gradients, which they overwrite; without (an update that did not complete), they are
     * dropped. A no-op when nothing is held.
     */
    public void release(boolean keepGradients) {
        if (leaves == null) {
            return;
        }
        List<NDArray> sums = new ArrayList<>();
        for (NDArray leaf : leaves) {
            sums.add(keepGradients ? leaf.getGradient() : null);
        }
        leaves = null;
        try {
            WsConv2d.releaseStandardizedWeights(convs, sums);
        } finally {
            for (NDArray g : sums) {
                if (g != null) {
                    g.close();
                }
            }
        }
    }
}
