package ai.wsbcn.norm;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * Weight Standardization: each output row of a weight (one output channel, flattened over in-channels and kernel)
 * is shifted to zero mean and scaled to unit spread. Built from differentiable NDArray ops so that the gradient
 * reaches the raw weight through the standardisation, as in the paper.
 */
public final class WeightStandardization {

    public static final float DEFAULT_EPS = 1e-5f;

    private WeightStandardization() {}

    /** The paper's convention: {@code (W - mean) / sqrt(var_biased + eps)} per output row. */
    public static NDArray standardize(NDArray weight, float eps) {
        return standardize(weight, eps, WsConvention.BIASED_VAR);
    }

    /**
     * Standardises {@code weight} of shape (O, I, kh, kw) or (O, I) row by row.
     *
     * @throws IllegalArgumentException when the weight has fewer than 2 dimensions or a row of one element under an
     *     unbiased convention (its variance is undefined)
     */
    public static NDArray standardize(NDArray weight, float eps, WsConvention convention) {
        Shape shape = weight.getShape();
        if (shape.dimension() < 2) {
            throw new IllegalArgumentException("weight standardization needs a weight of at least 2 dimensions (O, I,"
                    + " ...), got " + shape);
        }
        long rows = shape.get(0);
        long n = shape.size() / rows;
        if (n < 2 && convention != WsConvention.BIASED_VAR) {
            throw new IllegalArgumentException("an unbiased variance needs at least 2 elements per row, got " + n);
        }
        return ai.wsbcn.norm.engine.NormKernels.portable().standardizeRows(weight, eps, convention, true);
    }

    /**
     * {@link #standardize} outside autograd: a new array through which no gradient flows, for a W_hat held as a
     * gradient leaf over the micro-batches of an update (see {@code WsConv2d.holdStandardizedWeight}). Takes the
     * engine's fused route where there is one ({@link ai.wsbcn.norm.engine.NormKernels#standardizeRowsDetached}).
     */
    public static NDArray standardizeDetached(NDArray weight, float eps, WsConvention convention) {
        return ai.wsbcn.norm.engine.NormKernels.forArray(weight, true).standardizeRowsDetached(weight, eps,
                convention);
    }
}
