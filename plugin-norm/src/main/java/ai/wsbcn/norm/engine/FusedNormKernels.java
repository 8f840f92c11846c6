package ai.wsbcn.norm.engine;

import ai.djl.mxnet.engine.MxNDManager;
import ai.djl.mxnet.engine.MxOpParams;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.norm.BatchNorm;
import ai.wsbcn.norm.WsConvention;

/**
 * Group normalisation as a batch norm over a (1, N*G, L) view, the trick of the official BCN code: each (sample,
 * group) slice becomes one "channel" whose batch statistics are exactly the group's mean and biased variance. It runs
 * on the engine's fused batch-norm kernel (MKL-DNN on MXNet, ATen on PyTorch), forward and backward.
 *
 * <p>MXNet's batch norm uses batch statistics only when autograd is in training mode, so on MXNet this route serves
 * training forwards (run under a GradientCollector, as DJL's own BatchNorm requires); inference there falls back to
 * the portable route. PyTorch's batch norm takes the mode as an argument and serves both.
 */
public final class FusedNormKernels implements NormKernels {

    static final FusedNormKernels INSTANCE = new FusedNormKernels();

    private FusedNormKernels() {}

    private static final float AFFINE_EPS = 1e-5f;

    static boolean supports(NDArray x, boolean training) {
        String engine = x.getManager().getEngine().getEngineName();
        return "PyTorch".equals(engine) || ("MXNet".equals(engine) && training);
    }

    private static boolean isMxnet(NDArray x) {
        return "MXNet".equals(x.getManager().getEngine().getEngineName());
    }

    @Override
    public NDArray groupNormalize(NDArray x, int groups, float eps, boolean training) {
        Shape shape = x.getShape();
        long slices = shape.get(0) * groups;
        return normalizeSlices(x.reshape(1, slices, -1), slices, eps).reshape(shape);
    }

    /** Batch norm in training mode (batch statistics, no affine) over a (1, slices, L) view. */
    private static NDArray normalizeSlices(NDArray view, long slices, float eps) {
        NDArray x = view;
        NDManager m = x.getManager();
        // Dummy running statistics: the kernel updates them in place, nobody reads them.
        NDArray runningMean = m.zeros(new Shape(slices), x.getDataType());
        NDArray runningVar = m.ones(new Shape(slices), x.getDataType());
        NDArray gamma = m.ones(new Shape(slices), x.getDataType());
        NDArray beta = m.zeros(new Shape(slices), x.getDataType());
        return BatchNorm.batchNorm(view, runningMean, runningVar, gamma, beta, 1, 0.9f, eps, true)
                .singletonOrThrow();
    }

    /**
     * On MXNet, a broadcast multiply-add is slow to differentiate (its backward is a generic reduction: ~100 ms on
     * 1x256x56x56), so the affine runs as MXNet's BatchNorm operator with fixed statistics (mean 0, variance
     * 1 - eps, so the normalisation is the identity), whose backward is one fused pass. PyTorch's broadcasting
     * backward is already fast.
     */
    @Override
    public NDArray channelAffine(NDArray x, NDArray weight, NDArray bias) {
        if (!isMxnet(x)) {
            return PortableNormKernels.INSTANCE.channelAffine(x, weight, bias);
        }
        NDManager m = x.getManager();
        Shape c = new Shape(weight.size());
        NDArray mean = m.zeros(c, x.getDataType());
        NDArray var = m.full(c, 1f - AFFINE_EPS, x.getDataType());
        MxOpParams params = new MxOpParams();
        params.addParam("eps", AFFINE_EPS);
        params.addParam("momentum", 0.9f);
        params.addParam("fix_gamma", false);
        params.addParam("use_global_stats", true);
        params.addParam("axis", 1);
        return ((MxNDManager) m).invoke("BatchNorm", new NDList(x, weight, bias, mean, var), params).head();
    }

    /**
     * Rows standardised with biased variance and eps inside the root are exactly a batch norm over the (1, O, n)
     * view; the unbiased-variance convention is the same with eps scaled by (n-1)/n and the result by
     * sqrt((n-1)/n). The std-plus-eps convention has no such form and stays portable.
     */
    @Override
    public NDArray standardizeRows(NDArray weight, float eps, WsConvention convention, boolean training) {
        if (convention == WsConvention.UNBIASED_STD || !supports(weight, training)) {
            return PortableNormKernels.INSTANCE.standardizeRows(weight, eps, convention, training);
        }
        Shape shape = weight.getShape();
        long rows = shape.get(0);
        long n = shape.size() / rows;
        float opEps = convention == WsConvention.BIASED_VAR ? eps : eps * (n - 1) / n;
        NDArray z = normalizeSlices(weight.reshape(1, rows, n), rows, opEps);
        if (convention == WsConvention.UNBIASED_VAR) {
            z = ScalarOps.mul(z, Math.sqrt((double) (n - 1) / n));
        }
        return z.reshape(shape);
    }

    /**
     * On MXNet the per-channel means run as matrix-vector products with a ones vector (BLAS) instead of MXNet's
     * generic CPU reductions, which are ~100x slower on activation-sized tensors; the data are centred on
     * {@code center} first, so no precision is lost to the {@code E[x^2] - E[x]^2} cancellation.
     */
    @Override
    public NDArray[] channelMoments(NDArray x, NDArray center) {
        if (!isMxnet(x)) {
            return PortableNormKernels.INSTANCE.channelMoments(x, center);
        }
        Shape s = x.getShape();
        long n = s.get(0);
        long c = s.get(1);
        long l = s.size() / (n * c);
        NDManager m = x.getManager();
        NDArray d = x.reshape(n * c, l).sub(center.reshape(1, c).broadcast(new Shape(n, c)).reshape(n * c, 1));
        NDArray perL = m.full(new Shape(l, 1), 1f / l, x.getDataType());
        NDArray shift = d.matMul(perL).reshape(n, c);
        NDArray spread = d.square().matMul(perL).reshape(n, c);
        if (n > 1) {
            shift = shift.mean(new int[] {0});
            spread = spread.mean(new int[] {0});
        } else {
            shift = shift.reshape(c);
            spread = spread.reshape(c);
        }
        return new NDArray[] {shift.add(center), spread};
    }

    @Override
    public String name() {
        return "fused";
    }
}
