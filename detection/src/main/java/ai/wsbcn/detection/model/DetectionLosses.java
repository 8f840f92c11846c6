package ai.wsbcn.detection.model;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Activation;

/**
 * The losses of the detector written with dense, differentiable element-wise NDArray operations and host-built
 * masks/weights, so that they behave the same on every engine and never need a differentiable gather:
 * selecting "the sampled anchors" or "the box deltas of the true class" is a multiplication by a 0/1 mask.
 *
 * <p>Constants are NDArrays made with {@link #constant} (kept in the manager of the step until it is closed), never
 * {@code x.mul(float)}: DJL's PyTorch engine turns a Java number into a temporary tensor over a direct buffer and
 * closes it right after the op, but autograd keeps the tensor for the backward of {@code mul}/{@code div}/
 * {@code minimum}/{@code maximum} — the buffer can be garbage-collected before {@code backward()}, which then reads
 * freed memory (seen as random exploding gradients).
 */
public final class DetectionLosses {

    private DetectionLosses() {}

    /**
     * A scalar constant in the manager of {@code like} (alive until that manager closes, i.e. past the backward of the
     * step) — safe to use inside the autograd graph on every engine (see the class comment).
     */
    public static NDArray constant(NDArray like, float value) {
        return like.getManager().create(value);
    }

    /**
     * Element-wise smooth L1 ({@code 0.5 x^2 / beta} for {@code |x| < beta}, else {@code |x| - 0.5 beta}), written as
     * {@code 0.5 m^2 / beta + (|x| - m)} with {@code m = min(|x|, beta)} so that it needs no comparison.
     * {@code beta == 0} is plain L1.
     */
    public static NDArray smoothL1(NDArray diff, float beta) {
        NDArray a = diff.abs();
        if (beta <= 0) {
            return a;
        }
        NDArray m = a.minimum(constant(diff, beta));
        return m.square().mul(constant(diff, 0.5f / beta)).add(a.sub(m));
    }

    /**
     * Sum of {@code mask * smoothL1(pred - target)} over all elements divided by {@code normalizer} (torchvision's
     * {@code smooth_l1_loss(..., reduction="sum") / N}).
     */
    public static NDArray maskedSmoothL1(NDArray pred, NDArray target, NDArray mask, float beta, float normalizer) {
        return smoothL1(pred.sub(target), beta).mul(mask).sum().div(constant(pred, normalizer));
    }

    /**
     * Element-wise binary cross-entropy with logits, {@code max(x, 0) - x z + log(1 + exp(-|x|))} (numerically
     * stable, PyTorch's formula).
     */
    public static NDArray bceWithLogits(NDArray logits, NDArray targets) {
        NDArray softplus = logits.abs().neg().exp().add(1f).log();
        return Activation.relu(logits).sub(logits.mul(targets)).add(softplus);
    }

    /** {@code sum(weights * bce(logits, targets)) / normalizer}. */
    public static NDArray weightedBce(NDArray logits, NDArray targets, NDArray weights, float normalizer) {
        return bceWithLogits(logits, targets).mul(weights).sum().div(constant(logits, normalizer));
    }

    /**
     * Mean cross-entropy of logits {@code (R, C)} against one-hot targets {@code (R, C)}:
     * {@code -sum(onehot * log_softmax(logits)) / R}.
     */
    public static NDArray crossEntropy(NDArray logits, NDArray oneHot) {
        long rows = logits.getShape().get(0);
        return logits.logSoftmax(1).mul(oneHot).sum().neg().div(constant(logits, rows));
    }
}
