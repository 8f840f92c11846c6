package ai.wsbcn.norm.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;

/**
 * One parameter's momentum buffer for PyTorch's SGD ({@code d = s g + wd w; buf = momentum buf + d; w -= lr buf}).
 * On MXNet a step is its fused {@code sgd_mom_update} operator: one pass over weight, gradient and buffer instead of
 * six operators, each a full pass with its own output (ResNet-50, 25.6M parameters: 130 -> 34 ms per update; the
 * 1x224 training step 0.57 -> 0.51 s with gn). On PyTorch the composed form is kept: DJL's fused update there
 * (which clones the gradient) measured 10-20 ms slower per ResNet-50 step, interleaved A/B runs
 * ({@code -Dwsbcn.sgd.fused=false}).
 *
 * <p>MXNet's operator keeps the learning rate inside the buffer ({@code mom = -lr * buf}). That equals PyTorch's rule
 * while the rate is constant; so the array here holds {@code scale * buf} and is rescaled by
 * {@code new scale / old scale} whenever the rate changes (one in-place multiply, only on updates where the schedule
 * moves), which keeps the rule exactly PyTorch's under any schedule. A rate of 0 cannot carry the buffer in that
 * form; such updates, and the other engines, take the composed form on the plain buffer ({@code scale = 1}).
 */
public final class MomentumBuffer implements AutoCloseable {

    /** System property: {@code false} makes every step take the composed form (for measurements). */
    public static final String FUSED_PROPERTY = "wsbcn.sgd.fused";

    private NDArray state;
    /** {@code state = scale * buf}; 1 for the plain buffer. */
    private float scale;

    private MomentumBuffer(NDArray state, float scale) {
        this.state = state;
        this.scale = scale;
    }

    /** An empty buffer: the first update sets it to that update's {@code d}, as PyTorch does. */
    public static MomentumBuffer empty() {
        return new MomentumBuffer(null, 1f);
    }

    /** A buffer holding PyTorch's {@code buf}; it takes ownership of the array. */
    public static MomentumBuffer of(NDArray buf) {
        return new MomentumBuffer(buf, 1f);
    }

    /**
     * A buffer restored from {@link #storedCopy()} and {@link #storedScale()}: bit for bit the state it was saved in,
     * so that a resumed run continues exactly as the uninterrupted one (converting through PyTorch's form would
     * round differently). It takes ownership of {@code state}.
     */
    public static MomentumBuffer restore(NDArray state, float scale) {
        if (!(scale != 0f && Float.isFinite(scale))) {
            throw new IllegalArgumentException("momentum buffer scale must be finite and non-zero, got " + scale);
        }
        return new MomentumBuffer(state, scale);
    }

    /**
     * One SGD step of {@code weight} in place: {@code d = gradScale * grad + weightDecay * weight},
     * {@code buf = momentum * buf + d} ({@code buf = d} on the first step), {@code weight -= lr * buf}.
     * {@code grad} is left unchanged.
     */
    public void step(NDArray weight, NDArray grad, float lr, float momentum, float weightDecay, float gradScale) {
        float engineSign = fusedSign(weight);
        if (engineSign == 0f || lr == 0f || momentum == 0f) {
            composedStep(weight, grad, lr, momentum, weightDecay, gradScale);
            return;
        }
        float target = engineSign * lr;
        if (state == null) {
            state = weight.zerosLike(); // momentum * 0 + d: PyTorch's first step
        } else if (scale != target) {
            state.muli(target / scale);
        }
        scale = target;
        weight.getNDArrayInternal().sgdUpdate(new NDList(weight, grad, state), new NDList(weight), lr, weightDecay,
                gradScale, -1f, momentum, false);
    }

    /**
     * PyTorch's order of operations ({@code d = g + wd w} first), with no copy of the gradient when nothing scales
     * it: {@code d} is built on the weight-decay product, or the gradient is added to the buffer directly.
     */
    private void composedStep(NDArray weight, NDArray grad, float lr, float momentum, float weightDecay,
            float gradScale) {
        NDArray d = direction(weight, grad, weightDecay, gradScale);
        if (momentum == 0f) {
            try (NDArray delta = (d != null ? d : grad).mul(lr)) {
                weight.subi(delta);
            }
            if (d != null) {
                d.close();
            }
            return;
        }
        if (state == null) {
            state = d != null ? d : grad.duplicate();
            state.attach(weight.getManager());
        } else {
            toPlain();
            state.muli(momentum).addi(d != null ? d : grad);
            if (d != null) {
                d.close();
            }
        }
        scale = 1f;
        try (NDArray delta = state.mul(lr)) {
            weight.subi(delta);
        }
    }

    /** {@code gradScale * grad + weightDecay * weight} as a new array, or null when that is {@code grad} itself. */
    private static NDArray direction(NDArray weight, NDArray grad, float weightDecay, float gradScale) {
        if (weightDecay == 0f && gradScale == 1f) {
            return null;
        }
        NDArray d = gradScale == 1f ? null : grad.mul(gradScale);
        if (weightDecay == 0f) {
            return d;
        }
        NDArray decay = weight.mul(weightDecay);
        if (d == null) {
            return decay.addi(grad); // wd w + g: the same float as g + wd w
        }
        d.addi(decay);
        decay.close();
        return d;
    }

    private void toPlain() {
        if (scale != 1f) {
            state.muli(1f / scale);
            scale = 1f;
        }
    }

    /** PyTorch's buffer as a new array (the caller closes it), or null before the first momentum step. */
    public NDArray plainCopy() {
        if (state == null) {
            return null;
        }
        return scale == 1f ? state.duplicate() : state.div(scale);
    }

    /** The state as held (a new array the caller closes, or null before the first momentum step), for checkpoints. */
    public NDArray storedCopy() {
        return state == null ? null : state.duplicate();
    }

    /** The factor between the stored state and PyTorch's buffer: {@code state = scale * buf}. */
    public float storedScale() {
        return scale;
    }

    /** The sign the fused operator gives the learning rate inside the buffer (MXNet: -1); 0 when it is not used. */
    private static float fusedSign(NDArray weight) {
        if (!Boolean.parseBoolean(System.getProperty(FUSED_PROPERTY, "true"))) {
            return 0f;
        }
        return "MXNet".equals(weight.getManager().getEngine().getEngineName()) ? -1f : 0f;
    }

    @Override
    public void close() {
        if (state != null) {
            state.close();
            state = null;
        }
    }
}
