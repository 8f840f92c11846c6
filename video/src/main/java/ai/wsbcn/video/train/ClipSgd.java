package ai.wsbcn.video.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * PyTorch-style SGD for the TSM recipe, with what the recipe needs around it: gradients summed over micro-batches
 * ({@code iter_size}), clipped by their global L2 norm ({@code clip_grad_norm_(params, 20)}), weight decay only on
 * weights with more than one dimension (convolutions and the classifier's matrix; not norm parameters or biases), and
 * momentum {@code v = m v + g; w -= lr v}. The momentum buffers are saved with checkpoints.
 */
public final class ClipSgd {

    private final List<Parameter> params = new ArrayList<>();
    private final List<String> names = new ArrayList<>();
    private final List<NDArray> accumulated = new ArrayList<>();
    private final List<NDArray> momentum = new ArrayList<>();
    private final float momentumFactor;
    private final float weightDecay;
    private final float clipNorm;
    private int microBatches;
    private double lastNorm;

    /** Over the trainable parameters of an initialised {@code block}; state arrays live in {@code manager}. */
    public ClipSgd(Block block, NDManager manager, float momentum, float weightDecay, float clipNorm) {
        this.momentumFactor = momentum;
        this.weightDecay = weightDecay;
        this.clipNorm = clipNorm;
        for (Pair<String, Parameter> p : block.getParameters()) {
            Parameter param = p.getValue();
            if (!param.requiresGradient()) {
                continue;
            }
            NDArray w = param.getArray();
            params.add(param);
            names.add(p.getKey());
            accumulated.add(manager.zeros(w.getShape(), w.getDataType(), w.getDevice()));
            this.momentum.add(manager.zeros(w.getShape(), w.getDataType(), w.getDevice()));
        }
    }

    /** Adds the gradients of the last backward pass and clears them (engines differ in whether backward adds). */
    public void accumulate() {
        for (int i = 0; i < params.size(); i++) {
            NDArray g = params.get(i).getArray().getGradient();
            accumulated.get(i).addi(g);
            g.subi(g);
        }
        microBatches++;
    }

    public int pendingMicroBatches() {
        return microBatches;
    }

    /** The global gradient norm before clipping at the last {@link #step}. */
    public double lastGradNorm() {
        return lastNorm;
    }

    /** One update with the accumulated gradients at learning rate {@code lr}; then the accumulators are cleared. */
    public void step(float lr) {
        double sq = 0;
        for (NDArray a : accumulated) {
            sq += a.square().sum().getFloat();
        }
        lastNorm = Math.sqrt(sq);
        float scale = clipNorm > 0 && lastNorm > clipNorm ? (float) (clipNorm / (lastNorm + 1e-6)) : 1f;
        for (int i = 0; i < params.size(); i++) {
            NDArray w = params.get(i).getArray();
            NDArray g = accumulated.get(i);
            if (scale != 1f) {
                g.muli(scale);
            }
            if (weightDecay != 0 && w.getShape().dimension() > 1) {
                g.addi(w.mul(weightDecay));
            }
            NDArray v = momentum.get(i);
            v.muli(momentumFactor).addi(g);
            w.subi(v.mul(lr));
            g.subi(g);
        }
        microBatches = 0;
    }

    /** Writes the momentum buffers (in parameter order, with names, so a mismatch is caught on load). */
    public void save(DataOutputStream out) throws IOException {
        out.writeInt(params.size());
        for (int i = 0; i < params.size(); i++) {
            out.writeUTF(names.get(i));
            byte[] b = momentum.get(i).encode();
            out.writeInt(b.length);
            out.write(b);
        }
    }

    public void load(DataInputStream in, NDManager manager) throws IOException {
        int n = in.readInt();
        if (n != params.size()) {
            throw new IOException("optimizer state has " + n + " buffers, the model " + params.size());
        }
        for (int i = 0; i < n; i++) {
            String name = in.readUTF();
            if (!name.equals(names.get(i))) {
                throw new IOException("optimizer state buffer " + i + " is for '" + name + "', expected '"
                        + names.get(i) + "'");
            }
            byte[] b = new byte[in.readInt()];
            in.readFully(b);
            try (NDArray v = NDArray.decode(manager, b)) {
                if (!v.getShape().equals(momentum.get(i).getShape())) {
                    throw new IOException("optimizer state buffer '" + name + "' has shape " + v.getShape()
                            + ", expected " + momentum.get(i).getShape());
                }
                v.copyTo(momentum.get(i));
            }
        }
    }
}
