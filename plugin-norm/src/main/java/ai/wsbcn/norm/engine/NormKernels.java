package ai.wsbcn.norm.engine;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * The normalisation arithmetic the layers need, behind one interface so that an engine's fused operator can stand in
 * for the composed NDArray version (measured on MXNet 1.9: a per-channel reduction composed of NDArray ops costs
 * ~5 ms on 1x256x56x56 while its MKL-DNN BatchNorm operator normalises the same tensor, forward and backward, in ~11 ms
 * total; group norm composed of ops costs ~70 ms).
 *
 * <p>Which implementation is used is decided by {@link #forArray}; the system property {@code wsbcn.norm.kernels}
 * ({@code auto}, {@code portable}, {@code fused}) overrides the choice, so that tests can check both routes against
 * the same reference vectors.
 */
public interface NormKernels {

    /** System property that overrides the route: auto (default), portable or fused. */
    String ROUTE_PROPERTY = "wsbcn.norm.kernels";

    /**
     * Normalises each (sample, group) slice of {@code x} (N, C, ...) to zero mean and unit biased variance, without
     * affine: {@code (x - mean) / sqrt(var + eps)}.
     *
     * @param training whether this forward runs under training (on MXNet, operators follow the autograd mode)
     */
    NDArray groupNormalize(NDArray x, int groups, float eps, boolean training);

    /**
     * Per-channel affine {@code y = x * weight[c] + bias[c]} over axis 1 of {@code x} (N, C, ...), differentiable in
     * all three inputs.
     */
    NDArray channelAffine(NDArray x, NDArray weight, NDArray bias);

    /**
     * Per-channel normalisation with CONSTANT statistics, then a per-channel affine:
     * {@code (x - mean[c]) / sqrt(var[c] + eps) * weight[c] + bias[c]} over axis 1 of {@code x} (N, C, ...),
     * differentiable in {@code x}, {@code weight} and {@code bias} only (no gradient reaches {@code mean}, {@code var}).
     * A kernel may keep {@code mean} and {@code var} for the backward, so the caller must not modify them before it
     * (micro-batch BCN passes copies of its estimates).
     */
    NDArray channelNormalize(NDArray x, NDArray mean, NDArray var, float eps, NDArray weight, NDArray bias);

    /**
     * {@link #groupNormalize} followed by a per-GROUP affine ({@code weight}, {@code bias} of shape (G)), BCN's group
     * stage; differentiable in all three inputs. The default composes the two steps, the affine running as
     * {@link #channelAffine} on the (N, G, L) view, whose axis 1 is the group.
     */
    default NDArray groupNormalizeAffine(NDArray x, int groups, float eps, NDArray weight, NDArray bias,
            boolean training) {
        Shape shape = x.getShape();
        NDArray z = groupNormalize(x, groups, eps, training);
        return channelAffine(z.reshape(shape.get(0), groups, -1), weight, bias).reshape(shape);
    }

    /**
     * Weight standardisation of each output row of {@code weight} (O, ...) under {@code convention}; see
     * {@code ai.wsbcn.norm.WeightStandardization}.
     */
    default NDArray standardizeRows(NDArray weight, float eps, ai.wsbcn.norm.WsConvention convention,
            boolean training) {
        return standardizeRows(weight, eps, convention, training, weight.getManager());
    }

    /**
     * {@link #standardizeRows} with the result and its intermediates in {@code target}: a layer passes its input's
     * manager, so that the standardised weight lives as long as the call, not as long as the model
     * ({@link ai.wsbcn.util.CallArrays}).
     */
    NDArray standardizeRows(NDArray weight, float eps, ai.wsbcn.norm.WsConvention convention, boolean training,
            ai.djl.ndarray.NDManager target);

    /**
     * {@link #standardizeRows} outside autograd, in training mode: a new array (in the weight's manager) through
     * which no gradient flows, for a W_hat held as a gradient leaf over the micro-batches of an update. By default
     * on a detached view, with the intermediates freed in a scratch manager.
     */
    default NDArray standardizeRowsDetached(NDArray weight, float eps, ai.wsbcn.norm.WsConvention convention) {
        ai.djl.ndarray.NDManager owner = weight.getManager();
        try (ai.djl.ndarray.NDManager scratch = owner.newSubManager()) {
            NDArray w = weight.stopGradient();
            w.attach(scratch);
            NDArray result = standardizeRows(w, eps, convention, true);
            result.attach(owner);
            return result;
        }
    }

    /**
     * Per-channel moments of {@code x} (N, C, ...) about {@code center} (C): returns
     * {@code [mean_c(x), mean_c((x - center)^2)]}, each of shape (C), means over every axis but the channel axis.
     * This is micro-batch BCN's estimate update (the variance is taken about the previous mean estimate). {@code x}
     * may be part of a recorded graph: implementations keep their work out of it (no gradient flows into the
     * moments) and free their full-size temporaries before returning.
     */
    NDArray[] channelMoments(NDArray x, NDArray center);

    /** Name of the route, for logs and benchmarks. */
    String name();

    /** The composed NDArray route, valid on every engine and in every mode. */
    static NormKernels portable() {
        return PortableNormKernels.INSTANCE;
    }

    /** The kernels to use for arrays like {@code x} in a forward with the given training flag. */
    static NormKernels forArray(NDArray x, boolean training) {
        String route = System.getProperty(ROUTE_PROPERTY, "auto");
        switch (route) {
            case "portable":
                return PortableNormKernels.INSTANCE;
            case "fused":
            case "auto":
                return FusedNormKernels.supports(x) ? FusedNormKernels.INSTANCE
                        : PortableNormKernels.INSTANCE;
            default:
                throw new IllegalArgumentException("-D" + ROUTE_PROPERTY + " must be auto, portable or fused, got '"
                        + route + "'");
        }
    }
}
