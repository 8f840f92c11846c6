package ai.wsbcn.norm.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.util.Pair;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * SGD with momentum exactly as PyTorch's {@code torch.optim.SGD} (dampening 0, not Nesterov):
 * {@code d = g + wd * w; buf = momentum * buf + d (buf = d at the first step); w -= lr * buf}, on MXNet as one fused
 * operator per parameter ({@link MomentumBuffer}). Weight decay is applied
 * only to parameters with more than one dimension (conv and linear weights), never to norm parameters and biases, as
 * the paper's training recipes do. The learning rate comes from an {@link LrSchedule} at the current update index,
 * which {@link #advance()} moves after each optimizer step; the momentum buffers and the index are saved with
 * {@link #saveState()} for exact resume.
 */
public final class Sgd extends Optimizer implements OptimizerState {

    private final LrSchedule schedule;
    private final float momentum;
    private final float weightDecay;
    private final Map<String, MomentumBuffer> buffers = new HashMap<>();
    private long update;

    private Sgd(Builder b) {
        super(b);
        schedule = b.schedule;
        momentum = b.momentum;
        weightDecay = b.weightDecay;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The learning rate of the current update. */
    public float currentLearningRate() {
        return schedule.lrAt(update);
    }

    /** Index of the current update (number of completed optimizer steps). */
    public long updateIndex() {
        return update;
    }

    /** Moves to the next update; call once after each optimizer step (MicroBatchTrainer does). */
    public void advance() {
        update++;
    }

    public LrSchedule schedule() {
        return schedule;
    }

    @Override
    public void update(String parameterId, NDArray weight, NDArray grad) {
        float decay = weight.getShape().dimension() > 1 ? weightDecay : 0f;
        buffers.computeIfAbsent(parameterId, k -> MomentumBuffer.empty())
                .step(weight, grad, currentLearningRate(), momentum, decay, 1f);
    }

    /** Name of the array that follows the buffers in {@link #saveState}: each buffer's scale, in order. */
    static final String SCALES_NAME = "wsbcn:momentum-scales";

    /**
     * Momentum buffers and update index, for a checkpoint. Buffers are keyed by the parameters' names in
     * {@code model} (parameter ids are random per process, names are stable) and stored as held, followed by their
     * scales ({@link MomentumBuffer}), so that a resumed run is bit for bit the uninterrupted one.
     */
    @Override
    public byte[] saveState(Block model) {
        Map<String, String> nameOfId = new HashMap<>();
        for (Pair<String, Parameter> p : model.getParameters()) {
            nameOfId.put(p.getValue().getId(), p.getKey());
        }
        NDList list = new NDList();
        byte[] arrays;
        try {
            List<Float> scales = new ArrayList<>();
            NDManager manager = null;
            for (Map.Entry<String, MomentumBuffer> e : buffers.entrySet()) {
                String name = nameOfId.get(e.getKey());
                NDArray a = name == null ? null : e.getValue().storedCopy();
                if (a != null) {
                    a.setName(name);
                    list.add(a);
                    scales.add(e.getValue().storedScale());
                    manager = a.getManager();
                }
            }
            if (manager != null) {
                float[] s = new float[scales.size()];
                for (int i = 0; i < s.length; i++) {
                    s[i] = scales.get(i);
                }
                NDArray scaleArray = manager.create(s);
                scaleArray.setName(SCALES_NAME);
                list.add(scaleArray);
            }
            // before the first update there is no momentum yet; DJL cannot decode an encoded empty list
            arrays = list.isEmpty() ? new byte[0] : list.encode();
        } finally {
            list.close();
        }
        java.nio.ByteBuffer out = java.nio.ByteBuffer.allocate(8 + arrays.length);
        out.putLong(update).put(arrays);
        return out.array();
    }

    /**
     * Restores what {@link #saveState(Block)} wrote for the same model; arrays go to {@code manager}. States saved
     * without scales (before 2026-12-06) are PyTorch's buffers (scale 1).
     */
    @Override
    public void loadState(Block model, NDManager manager, byte[] state) throws IOException {
        Map<String, String> idOfName = new HashMap<>();
        for (Pair<String, Parameter> p : model.getParameters()) {
            idOfName.put(p.getKey(), p.getValue().getId());
        }
        java.nio.ByteBuffer in = java.nio.ByteBuffer.wrap(state);
        long u = in.getLong();
        byte[] arrays = new byte[in.remaining()];
        in.get(arrays);
        NDList list;
        try {
            list = arrays.length == 0 ? new NDList() : NDList.decode(manager, new ByteArrayInputStream(arrays));
        } catch (IllegalArgumentException e) {
            throw new IOException("momentum buffers unreadable (" + e.getMessage() + ")", e);
        }
        float[] scales = null;
        if (!list.isEmpty() && SCALES_NAME.equals(list.get(list.size() - 1).getName())) {
            NDArray s = list.remove(list.size() - 1);
            scales = s.toFloatArray();
            s.close();
            if (scales.length != list.size()) {
                list.close();
                throw new IOException("optimizer state has " + list.size() + " momentum buffers but " + scales.length
                        + " scales");
            }
        }
        buffers.values().forEach(MomentumBuffer::close);
        buffers.clear();
        for (int i = 0; i < list.size(); i++) {
            NDArray a = list.get(i);
            String id = idOfName.get(a.getName());
            if (id == null) {
                list.close();
                throw new IOException("optimizer state has momentum for '" + a.getName()
                        + "', which is not a parameter of this model");
            }
            buffers.put(id, scales == null ? MomentumBuffer.of(a) : MomentumBuffer.restore(a, scales[i]));
        }
        update = u;
    }

    /** Builds an {@link Sgd}; the schedule is required, momentum 0.9 and weight decay 1e-4 by default. */
    public static final class Builder extends OptimizerBuilder<Builder> {
        private LrSchedule schedule;
        private float momentum = 0.9f;
        private float weightDecay = 1e-4f;

        private Builder() {}

        @Override
        protected Builder self() {
            return this;
        }

        public Builder setSchedule(LrSchedule schedule) {
            this.schedule = schedule;
            return this;
        }

        public Builder optMomentum(float momentum) {
            this.momentum = momentum;
            return this;
        }

        /** L2 weight decay for parameters with ndim > 1 (not norm parameters or biases). */
        public Builder optWeightDecay(float weightDecay) {
            this.weightDecay = weightDecay;
            return this;
        }

        public Sgd build() {
            if (schedule == null) {
                throw new IllegalArgumentException("Sgd needs a learning-rate schedule (setSchedule)");
            }
            return new Sgd(this);
        }
    }
}
