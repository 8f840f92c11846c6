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
     * {@link #standardize} outside autograd (no graph is recorded), with the row statistics as matrix-vector
     * products (BLAS on every engine; MXNet's generic reductions are far slower). For a W_hat held as a gradient
     * leaf, whose gradient {@link #backward} then carries to the weight.
     */
    public static NDArray standardizeDetached(NDArray weight, float eps, WsConvention convention) {
        Shape shape = weight.getShape();
        long rows = shape.get(0);
        long n = shape.size() / rows;
        try (ai.djl.ndarray.NDManager scratch = weight.getManager().newSubManager()) {
            NDArray w = weight.stopGradient();
            w.attach(scratch);
            NDArray flat = w.reshape(rows, n);
            NDArray centred = flat.sub(rowMeans(flat));
            NDArray meanSq = rowMeans(centred.square());
            NDArray out;
            switch (convention) {
                case BIASED_VAR:
                    out = centred.div(meanSq.add(eps).sqrt());
                    break;
                case UNBIASED_VAR:
                    out = centred.div(meanSq.mul((double) n / (n - 1)).add(eps).sqrt());
                    break;
                case UNBIASED_STD:
                    out = centred.div(meanSq.mul((double) n / (n - 1)).sqrt().add(eps));
                    break;
                default:
                    throw new IllegalArgumentException("unknown convention " + convention);
            }
            NDArray result = out.reshape(shape);
            result.attach(weight.getManager());
            return result;
        }
    }

    /** Means of the rows of a 2-D array as a (rows, 1) column, by a matrix-vector product with 1/n. */
    private static NDArray rowMeans(NDArray x) {
        long n = x.getShape().get(1);
        try (NDArray perN = x.getManager().full(new Shape(n, 1), 1f / n, x.getDataType())) {
            return x.matMul(perN);
        }
    }

    /**
     * The gradient of the raw weight given the gradient {@code gradHat} of its standardisation {@code wHat}, in
     * closed form (no autograd): per row of n elements with {@code y = wHat}, {@code g = gradHat},
     * <ul>
     *   <li>biased variance: {@code dW = (g - mean(g) - y * sum(g*y) / n) / sqrt(var_b + eps)};</li>
     *   <li>unbiased variance: the same with {@code n - 1} and {@code var_u};</li>
     *   <li>unbiased std: {@code dW = (g - mean(g) - y * sum(g*y) * d / (std * (n - 1))) / d}, {@code d = std + eps}.</li>
     * </ul>
     * Used when W_hat is computed once per update and its gradient accumulated over micro-batches.
     */
    public static NDArray backward(NDArray weight, NDArray wHat, NDArray gradHat, float eps, WsConvention convention,
            ai.djl.ndarray.NDManager manager) {
        Shape shape = weight.getShape();
        long rows = shape.get(0);
        long n = shape.size() / rows;
        NDArray detached = weight.stopGradient();
        detached.attach(manager);
        NDArray w = detached.reshape(rows, n);
        w.attach(manager);
        NDArray y = wHat.reshape(rows, n);
        y.attach(manager);
        NDArray g = gradHat.reshape(rows, n);
        g.attach(manager);
        NDArray centred = w.sub(rowMeans(w));
        NDArray sumSq = rowMeans(centred.square()).mul(n);
        NDArray gMean = rowMeans(g);
        NDArray gy = rowMeans(g.mul(y)).mul(n);
        NDArray inv;
        NDArray coef;
        switch (convention) {
            case BIASED_VAR:
                inv = sumSq.div(n).add(eps).sqrt().pow(-1);
                coef = gy.div(n);
                break;
            case UNBIASED_VAR:
                inv = sumSq.div(n - 1).add(eps).sqrt().pow(-1);
                coef = gy.div(n - 1);
                break;
            case UNBIASED_STD:
                NDArray std = sumSq.div(n - 1).sqrt();
                NDArray d = std.add(eps);
                inv = d.pow(-1);
                // rows with zero spread have y = 0, so the coefficient's value does not matter there
                coef = gy.mul(d).div(std.maximum(1e-30f)).div(n - 1);
                break;
            default:
                throw new IllegalArgumentException("unknown convention " + convention);
        }
        NDArray dw = g.sub(gMean).sub(y.mul(coef)).mul(inv).reshape(shape);
        dw.attach(manager);
        return dw;
    }
}
