package ai.wsbcn.video.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import ai.wsbcn.norm.train.MomentumBuffer;
import ai.wsbcn.norm.train.OptimizerState;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * PyTorch-style SGD for the TSM recipe, with what the recipe needs around it: gradients summed over micro-batches
 * ({@code iter_size}), clipped by their global L2 norm ({@code clip_grad_norm_(params, 20)}), weight decay only on
 * weights with more than one dimension (convolutions and the classifier's matrix; not norm parameters or biases), and
 * momentum {@code v = m v + g; w -= lr v}. The momentum buffers are saved with checkpoints.
 */
public final class ClipSgd implements OptimizerState {

    private final List<Parameter> params = new ArrayList<>();
    private final List<String> names = new ArrayList<>();
    private final List<NDArray> accumulated = new ArrayList<>();
    private final List<MomentumBuffer> momentum = new ArrayList<>();
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
            this.momentum.add(MomentumBuffer.empty());
        }
    }

    /** Adds the gradients of the last backward pass and clears them (engines differ in whether backward adds). */
    public void accumulate() {
        accumulate(Set.of());
    }

    /**
     * {@link #accumulate()} except for {@code writtenElsewhere}, parameters the backward passes do not reach (held
     * WS weights, whose gradients the release writes): adding their zero gradients would be two wasted passes over
     * every convolution weight per micro-batch.
     */
    public void accumulate(Set<Parameter> writtenElsewhere) {
        addGradients(p -> !writtenElsewhere.contains(p));
        microBatches++;
    }

    /**
     * Adds the current gradients of {@code which} and clears them, without counting a micro-batch: for gradients
     * written outside the micro-batches' backward passes (the release of held WS weights).
     */
    public void addGradients(Set<Parameter> which) {
        addGradients(which::contains);
    }

    private void addGradients(Predicate<Parameter> which) {
        for (int i = 0; i < params.size(); i++) {
            if (!which.test(params.get(i))) {
                continue;
            }
            NDArray g = params.get(i).getArray().getGradient();
            accumulated.get(i).addi(g);
            g.subi(g);
        }
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
            float decay = w.getShape().dimension() > 1 ? weightDecay : 0f;
            momentum.get(i).step(w, g, lr, momentumFactor, decay, scale);
            g.subi(g);
        }
        microBatches = 0;
    }

    /**
     * The momentum buffers (in parameter order, with names, so a mismatch is caught on load) as held, each with its
     * scale ({@link MomentumBuffer}), so that a resumed run is bit for bit the uninterrupted one. {@code model} is the
     * block this optimizer was made for.
     */
    @Override
    public byte[] saveState(Block model) {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            save(out);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e); // in memory: cannot happen
        }
        return bytes.toByteArray();
    }

    @Override
    public void loadState(Block model, NDManager manager, byte[] state) throws IOException {
        load(new DataInputStream(new java.io.ByteArrayInputStream(state)), manager, true);
    }

    private void save(DataOutputStream out) throws IOException {
        out.writeInt(params.size());
        for (int i = 0; i < params.size(); i++) {
            out.writeUTF(names.get(i));
            MomentumBuffer buffer = momentum.get(i);
            NDArray v = buffer.storedCopy();
            byte[] b;
            try (NDArray state = v != null ? v : params.get(i).getArray().zerosLike()) {
                b = state.encode();
            }
            out.writeFloat(v != null ? buffer.storedScale() : 1f);
            out.writeInt(b.length);
            out.write(b);
        }
    }

    /** Reads what {@link #save} wrote; {@code withScales} false for checkpoints written before the scales were. */
    void load(DataInputStream in, NDManager manager, boolean withScales) throws IOException {
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
            float scale = withScales ? in.readFloat() : 1f;
            if (!(scale != 0f && Float.isFinite(scale))) {
                throw new IOException("optimizer state buffer '" + name + "' has scale " + scale);
            }
            byte[] b = new byte[in.readInt()];
            in.readFully(b);
            NDArray v = NDArray.decode(manager, b);
            Shape expected = params.get(i).getArray().getShape();
            if (!v.getShape().equals(expected)) {
                v.close();
                throw new IOException("optimizer state buffer '" + name + "' has shape " + v.getShape()
                        + ", expected " + expected);
            }
            momentum.get(i).close();
            momentum.set(i, MomentumBuffer.restore(v, scale));
        }
    }
}
