package ai.wsbcn.norm.engine;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.wsbcn.norm.WsConvention;
import ai.wsbcn.util.CallArrays;

/** Group normalisation composed of engine-neutral NDArray operations: correct everywhere, slow on MXNet. */
public final class PortableNormKernels implements NormKernels {

    static final PortableNormKernels INSTANCE = new PortableNormKernels();

    private PortableNormKernels() {}

    @Override
    public NDArray groupNormalize(NDArray x, int groups, float eps, boolean training) {
        Shape shape = x.getShape();
        NDArray grouped = x.reshape(shape.get(0), groups, -1);
        NDArray centered = grouped.sub(grouped.mean(new int[] {2}, true));
        NDArray var = centered.square().mean(new int[] {2}, true);
        return centered.div(var.add(eps).sqrt()).reshape(shape);
    }

    @Override
    public NDArray channelAffine(NDArray x, NDArray weight, NDArray bias) {
        long[] dims = new long[x.getShape().dimension()];
        java.util.Arrays.fill(dims, 1);
        dims[1] = weight.size();
        Shape s = new Shape(dims);
        NDManager call = x.getManager();
        return x.mul(CallArrays.adopt(call, weight.reshape(s))).add(CallArrays.adopt(call, bias.reshape(s)));
    }

    /** The per-channel scale {@code weight / sqrt(var + eps)} and shift {@code bias - mean * scale}, then the affine. */
    @Override
    public NDArray channelNormalize(NDArray x, NDArray mean, NDArray var, float eps, NDArray weight, NDArray bias) {
        NDManager call = x.getManager();
        NDArray std = CallArrays.adopt(call, var.add(eps)).sqrt().stopGradient();
        NDArray scale = CallArrays.adopt(call, weight.div(std));
        NDArray shift = CallArrays.adopt(call, bias.sub(CallArrays.adopt(call, mean.stopGradient()).mul(scale)));
        return channelAffine(x, scale, shift);
    }

    @Override
    public NDArray standardizeRows(NDArray weight, float eps, WsConvention convention, boolean training,
            NDManager target) {
        Shape shape = weight.getShape();
        long rows = shape.get(0);
        long n = shape.size() / rows;
        NDArray flat = CallArrays.adopt(target, weight.reshape(rows, n));
        NDArray centered = flat.sub(flat.mean(new int[] {1}, true));
        NDArray sumSq = centered.square().sum(new int[] {1}, true);
        NDArray out;
        switch (convention) {
            case BIASED_VAR:
                out = centered.div(ScalarOps.div(sumSq, n).add(eps).sqrt());
                break;
            case UNBIASED_VAR:
                out = centered.div(ScalarOps.div(sumSq, n - 1).add(eps).sqrt());
                break;
            case UNBIASED_STD:
                out = centered.div(ScalarOps.div(sumSq, n - 1).sqrt().add(eps));
                break;
            default:
                throw new AssertionError(convention);
        }
        return out.reshape(shape);
    }

    @Override
    public String name() {
        return "portable";
    }

    @Override
    public NDArray[] channelMoments(NDArray x, NDArray center) {
        Shape s = x.getShape();
        try (NDManager scratch = x.getManager().newSubManager()) {
            NDArray xs = x.stopGradient();
            xs.attach(scratch);
            NDArray flat = xs.reshape(s.get(0), s.get(1), -1);
            // single-axis reductions: what every engine supports
            NDArray mean = flat.mean(new int[] {2}).mean(new int[] {0});
            NDArray spread = flat.sub(CallArrays.adopt(scratch, center.reshape(1, s.get(1), 1))).square()
                    .mean(new int[] {2})
                    .mean(new int[] {0});
            mean.attach(x.getManager());
            spread.attach(x.getManager());
            return new NDArray[] {mean, spread};
        }
    }
}
