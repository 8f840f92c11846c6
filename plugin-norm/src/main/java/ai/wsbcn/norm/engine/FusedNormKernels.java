package ai.wsbcn.norm.engine;

import ai.djl.mxnet.engine.MxNDManager;
import ai.djl.mxnet.engine.MxOpParams;
import ai.djl.mxnet.jna.JnaUtils;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.norm.BatchNorm;
import ai.wsbcn.norm.WsConvention;
import ai.wsbcn.util.CallArrays;

/**
 * The normalisations on the engines' fused operators, forward and backward.
 *
 * <ul>
 *   <li>Group normalisation: on MXNet a batch norm over a (1, N*G, L) view, the trick of the official BCN code (each
 *       (sample, group) slice becomes one "channel" whose batch statistics are exactly the group's mean and biased
 *       variance); on PyTorch a layer norm over the (N*G, L) view (rows normalised over their L elements, ATen's
 *       single-pass row-moment kernel: measured 1.5-2.5x faster than the batch-norm form there, forward+backward).
 *   <li>Per-channel affine and normalisation with constant statistics (frozen BN, BCN's estimate normalisation, the
 *       affine after a group norm): one inference-mode batch norm, whose backward is a single fused pass instead of
 *       broadcasting products with separate reductions (and no full-size temporary for the weight gradient); on
 *       PyTorch the plain affine takes this form only from {@link #FUSED_AFFINE_PROPERTY} elements up.
 *   <li>BCN's per-group affine: folded into the slice batch norm (its gamma/beta tiled over the samples, one
 *       operator, one full-size output) on both engines (on PyTorch from {@link #FUSED_GROUP_AFFINE_PROPERTY}
 *       elements, default every size).
 * </ul>
 *
 * <p>MXNet's batch norm takes batch statistics only while autograd is in training mode, so on MXNet the batch-norm
 * forms of group normalisation and weight standardisation run with that mode switched on for the one operator (and
 * back right after), in training and inference alike. Before 2026-12-06 inference fell back to the portable route,
 * whose generic reductions made a GN+WS Mask R-CNN evaluate at 0.28 image/s against 0.45 with frozen BN. The
 * PyTorch operators take the mode as an argument.
 *
 * <p>On PyTorch, batch norm is called with axis -1: DJL's PyTorch engine passes that straight to ATen (whose channel
 * axis is always 1), while any other axis is wrapped in a pair of swapAxes calls and a sub-manager.
 */
public final class FusedNormKernels implements NormKernels {

    /**
     * System property: the input size (elements) from which, on PyTorch, a per-channel affine (GN's, frozen BN's)
     * runs as one inference-mode batch norm; below it, as a broadcast multiply-add. Default 2^22 (16 MiB of
     * float32). Measured (1 thread, forward+backward): from 8.6M elements the fused form takes 0.6-0.8x the time;
     * at 0.4-3.2M elements it is 1.0-1.3x (frozen BN, whose affine needs no weight gradient, up to ~1.5x at
     * 0.2-0.4M). It also keeps one full-size array fewer alive for the backward (DJL holds every intermediate
     * until its manager closes), which matters most at large sizes (detection at 800x1333). Before 2026-12-06 this
     * threshold also chose BCN's group stage ({@link #FUSED_GROUP_AFFINE_PROPERTY}); setting it to 0 for every
     * affine left the gn and gn+ws ResNet-50 steps unchanged (2 threads, two alternated runs).
     */
    public static final String FUSED_AFFINE_PROPERTY = "wsbcn.norm.fusedAffineMinElements";
    static final long DEFAULT_FUSED_AFFINE_MIN_ELEMENTS = 1L << 22;

    /**
     * System property: the input size (elements) from which, on PyTorch, BCN's group stage runs as one slice batch
     * norm with the per-group affine folded in rather than layer norm + affine; default 0 (always). Alone, a small
     * BCN layer is faster composed (2 threads, forward+backward: 1x256x56x56 2.1-2.9 ms against 3.0-3.7), but in a
     * ResNet-50 step the fused form, which keeps two full-size arrays alive instead of four, was faster in six of six
     * alternated runs (bcn+ws at 1x224: 0.296-0.342 s against 0.345-0.361 s; 2x224: 0.428-0.518 against
     * 0.443-0.539; 2026-12-06).
     */
    public static final String FUSED_GROUP_AFFINE_PROPERTY = "wsbcn.norm.fusedGroupAffineMinElements";

    static final FusedNormKernels INSTANCE = new FusedNormKernels();

    private FusedNormKernels() {}

    private static final float AFFINE_EPS = 1e-5f;

    /** The eps of the statistics-only batch norm: small, so that {@code var = invstd^-2 - eps} keeps its digits. */
    private static final float MOMENTS_EPS = 1e-12f;

    static boolean supports(NDArray x) {
        String engine = x.getManager().getEngine().getEngineName();
        return "PyTorch".equals(engine) || "MXNet".equals(engine);
    }

    private static boolean isMxnet(NDArray x) {
        return "MXNet".equals(x.getManager().getEngine().getEngineName());
    }

    @Override
    public NDArray groupNormalize(NDArray x, int groups, float eps, boolean training) {
        Shape shape = x.getShape();
        long slices = shape.get(0) * groups;
        if (isMxnet(x)) {
            return normalizeSlices(x.reshape(1, slices, -1), slices, eps, null, null).reshape(shape);
        }
        return normalizeRows(x.reshape(slices, -1), eps).reshape(shape);
    }

    /**
     * Batch norm in training mode (batch statistics) over a (1, slices, L) view, with a per-slice affine
     * ({@code gamma}, {@code beta} of shape (slices)) or none (null).
     */
    private static NDArray normalizeSlices(NDArray view, long slices, float eps, NDArray gamma, NDArray beta) {
        NDManager m = view.getManager();
        DataType dt = view.getDataType();
        Shape s = new Shape(slices);
        // Dummy running statistics: the kernel updates them in place, nobody reads them.
        NDArray runningMean = m.zeros(s, dt);
        NDArray runningVar = m.ones(s, dt);
        NDArray g = gamma != null ? gamma : m.ones(s, dt);
        NDArray b = beta != null ? beta : m.zeros(s, dt);
        if (!isMxnet(view)) {
            return BatchNorm.batchNorm(view, runningMean, runningVar, g, b, -1, 0.9f, eps, true).singletonOrThrow();
        }
        return mxnetBatchStatsNorm(view, 1, runningMean, runningVar, g, b, eps);
    }

    /**
     * MXNet's batch norm with batch statistics along {@code axis}: training mode is switched on for the one
     * operator (it takes batch statistics only then) and restored.
     */
    private static NDArray mxnetBatchStatsNorm(NDArray x, int axis, NDArray runningMean, NDArray runningVar,
            NDArray gamma, NDArray beta, float eps) {
        boolean training = JnaUtils.autogradSetTraining(true);
        try {
            return BatchNorm.batchNorm(x, runningMean, runningVar, gamma, beta, axis, 0.9f, eps, true)
                    .singletonOrThrow();
        } finally {
            JnaUtils.autogradSetTraining(training);
        }
    }

    /** PyTorch: each row of a 2-D (rows, L) array to zero mean and unit biased variance (layer norm, no affine). */
    private static NDArray normalizeRows(NDArray rows, float eps) {
        NDManager m = rows.getManager();
        Shape l = new Shape(rows.getShape().get(1));
        NDArray ones = m.ones(l, rows.getDataType());
        NDArray zeros = m.zeros(l, rows.getDataType());
        return rows.getNDArrayInternal().layerNorm(rows, l, ones, zeros, eps).singletonOrThrow();
    }

    /**
     * On MXNet, a broadcast multiply-add is slow to differentiate (its backward is a generic reduction: ~100 ms on
     * 1x256x56x56), so the affine runs as MXNet's BatchNorm operator with fixed statistics (mean 0, variance
     * 1 - eps, so the normalisation is the identity), whose backward is one fused pass. On PyTorch the same idea with
     * mean 0, variance 1 and eps 0 (the normalisation is then exactly the identity), for inputs of at least
     * {@link #FUSED_AFFINE_PROPERTY} elements; smaller ones take PyTorch's broadcasting multiply-add.
     */
    @Override
    public NDArray channelAffine(NDArray x, NDArray weight, NDArray bias) {
        if (!isMxnet(x) && x.size() < fusedAffineMinElements()) {
            return PortableNormKernels.INSTANCE.channelAffine(x, weight, bias);
        }
        NDManager m = x.getManager();
        Shape c = new Shape(weight.size());
        NDArray mean = m.zeros(c, x.getDataType());
        if (isMxnet(x)) {
            NDArray var = m.full(c, 1f - AFFINE_EPS, x.getDataType());
            return globalStatsBatchNorm(x, weight, bias, mean, var, AFFINE_EPS);
        }
        NDArray var = m.ones(c, x.getDataType());
        return BatchNorm.batchNorm(x, mean, var, weight, bias, -1, 0.9f, 0f, false).singletonOrThrow();
    }

    @Override
    public NDArray channelNormalize(NDArray x, NDArray mean, NDArray var, float eps, NDArray weight, NDArray bias) {
        if (isMxnet(x)) {
            return globalStatsBatchNorm(x, weight, bias, mean, var, eps);
        }
        return BatchNorm.batchNorm(x, mean, var, weight, bias, -1, 0.9f, eps, false).singletonOrThrow();
    }

    /** MXNet's BatchNorm with the given statistics (use_global_stats) in any autograd mode; axis 1. */
    private static NDArray globalStatsBatchNorm(NDArray x, NDArray weight, NDArray bias, NDArray mean, NDArray var,
            float eps) {
        MxOpParams params = new MxOpParams();
        params.addParam("eps", eps);
        params.addParam("momentum", 0.9f);
        params.addParam("fix_gamma", false);
        params.addParam("use_global_stats", true);
        params.addParam("axis", 1);
        return ((MxNDManager) x.getManager()).invoke("BatchNorm", new NDList(x, weight, bias, mean, var), params)
                .head();
    }

    @Override
    public NDArray groupNormalizeAffine(NDArray x, int groups, float eps, NDArray weight, NDArray bias,
            boolean training) {
        if (!isMxnet(x) && x.size() < minElements(FUSED_GROUP_AFFINE_PROPERTY, 0L)) {
            return NormKernels.super.groupNormalizeAffine(x, groups, eps, weight, bias, training);
        }
        Shape shape = x.getShape();
        long n = shape.get(0);
        long slices = n * groups;
        // slice n*G + g has the affine of group g: the (G) vectors repeated once per sample (differentiable)
        NDManager call = x.getManager();
        NDArray gamma = n == 1 ? weight : CallArrays.adopt(call, weight.tile(n));
        NDArray beta = n == 1 ? bias : CallArrays.adopt(call, bias.tile(n));
        return normalizeSlices(x.reshape(1, slices, -1), slices, eps, gamma, beta).reshape(shape);
    }

    static long fusedAffineMinElements() {
        return minElements(FUSED_AFFINE_PROPERTY, DEFAULT_FUSED_AFFINE_MIN_ELEMENTS);
    }

    private static long minElements(String property, long defaultValue) {
        String v = System.getProperty(property);
        return v == null ? defaultValue : Long.parseLong(v.trim());
    }

    /**
     * Rows standardised with biased variance and eps inside the root are a normalisation of the (O, n) rows (layer
     * norm on PyTorch, a batch norm along axis 0 on MXNet); the unbiased-variance convention is the same
     * with eps scaled by (n-1)/n and the result by sqrt((n-1)/n). The std-plus-eps convention has no such form and
     * stays portable.
     */
    @Override
    public NDArray standardizeRows(NDArray weight, float eps, WsConvention convention, boolean training,
            NDManager target) {
        if (convention == WsConvention.UNBIASED_STD || !supports(weight)) {
            return PortableNormKernels.INSTANCE.standardizeRows(weight, eps, convention, training, target);
        }
        Shape shape = weight.getShape();
        long rows = shape.get(0);
        long n = shape.size() / rows;
        float opEps = convention == WsConvention.BIASED_VAR ? eps : eps * (n - 1) / n;
        NDArray z = isMxnet(weight) ? mxnetStandardizeRows(weight, rows, opEps, target)
                : normalizeRows(CallArrays.adopt(target, weight.reshape(rows, n)), opEps).reshape(shape);
        if (convention == WsConvention.UNBIASED_VAR) {
            z = ScalarOps.mul(z, Math.sqrt((double) (n - 1) / n));
        }
        return z;
    }

    /**
     * On MXNet with autograd recording paused instead of on a detached view: MXNet's {@code stopGradient} is a full
     * copy of the weight.
     */
    @Override
    public NDArray standardizeRowsDetached(NDArray weight, float eps, WsConvention convention) {
        if (!isMxnet(weight)) {
            return NormKernels.super.standardizeRowsDetached(weight, eps, convention);
        }
        boolean recording = JnaUtils.autogradSetIsRecording(false);
        try {
            return standardizeRows(weight, eps, convention, true);
        } finally {
            JnaUtils.autogradSetIsRecording(recording);
        }
    }

    /**
     * MXNet: a batch norm along axis 0 of the weight itself, each output row being one "channel" whose statistics
     * run over its I*kh*kw elements. No view: MXNet reshapes by copying, and the (1, O, n) view cost a full copy of
     * every weight and of its gradient each way (~20 ms of a ResNet-50 step); same results bit for bit, measured
     * 10-20 % faster per weight (forward+backward, 2026-12-06).
     */
    private static NDArray mxnetStandardizeRows(NDArray weight, long rows, float eps, NDManager target) {
        DataType dt = weight.getDataType();
        Shape s = new Shape(rows);
        return CallArrays.adopt(target, mxnetBatchStatsNorm(weight, 0, target.zeros(s, dt), target.ones(s, dt),
                target.ones(s, dt), target.zeros(s, dt), eps));
    }

    /**
     * On MXNet, one BatchNorm operator in training mode with {@code output_mean_var}: its MKL-DNN kernel returns the
     * per-channel batch mean and {@code 1/sqrt(var + eps)} from two passes over the data (mean, then centred
     * squares), and the spread about {@code center} follows exactly as {@code var + (mean - center)^2}. Measured
     * against the previous route (centring, squaring and two matrix-vector products on a detached copy):
     * 1x256x56x56 6.4 -> 1.0 ms, 2x256x56x56 10.8 -> 1.2 ms. The operator runs with autograd recording paused (so
     * the input needs no detached copy) and training mode on (MXNet's batch norm takes batch statistics only then).
     * On PyTorch the mean is a plain reduction and the spread the squared 2-norm of the centred rows.
     */
    @Override
    public NDArray[] channelMoments(NDArray x, NDArray center) {
        if (isMxnet(x)) {
            return mxnetChannelMoments(x, center);
        }
        Shape s = x.getShape();
        long n = s.get(0);
        long c = s.get(1);
        NDArray mean;
        NDArray spread;
        try (NDArray xs = x.stopGradient(); NDArray flat = xs.reshape(n, c, -1);
                NDArray centerView = center.reshape(1, c, 1); NDArray d = flat.sub(centerView)) {
            mean = flat.mean(new int[] {2});
            spread = d.norm(2, new int[] {2}, false).square().div((float) flat.getShape().get(2));
        }
        mean = n > 1 ? mean.mean(new int[] {0}) : mean.reshape(c);
        spread = n > 1 ? spread.mean(new int[] {0}) : spread.reshape(c);
        return new NDArray[] {mean, spread};
    }

    private static NDArray[] mxnetChannelMoments(NDArray x, NDArray center) {
        MxNDManager m = (MxNDManager) x.getManager();
        Shape c = new Shape(x.getShape().get(1));
        MxOpParams params = new MxOpParams();
        params.addParam("eps", MOMENTS_EPS);
        params.addParam("momentum", 0.9f);
        params.addParam("fix_gamma", true);
        params.addParam("use_global_stats", false);
        params.addParam("output_mean_var", true);
        params.addParam("axis", 1);
        float[] mean;
        float[] invStd;
        boolean recording = JnaUtils.autogradSetIsRecording(false);
        boolean training = JnaUtils.autogradSetTraining(true);
        try (NDManager scratch = m.newSubManager()) {
            DataType dt = x.getDataType();
            NDList out = ((MxNDManager) scratch).invoke("BatchNorm", new NDList(x, scratch.ones(c, dt),
                    scratch.zeros(c, dt), scratch.zeros(c, dt), scratch.ones(c, dt)), params);
            out.attach(scratch);
            mean = out.get(1).toType(DataType.FLOAT32, false).toFloatArray();
            invStd = out.get(2).toType(DataType.FLOAT32, false).toFloatArray();
        } finally {
            JnaUtils.autogradSetTraining(training);
            JnaUtils.autogradSetIsRecording(recording);
        }
        float[] centers = center.toType(DataType.FLOAT32, false).toFloatArray();
        float[] spread = new float[mean.length];
        for (int i = 0; i < mean.length; i++) {
            double var = Math.max(0.0, 1.0 / ((double) invStd[i] * invStd[i]) - MOMENTS_EPS);
            double d = (double) mean[i] - centers[i];
            spread[i] = (float) (var + d * d);
        }
        return new NDArray[] {m.create(mean, c), m.create(spread, c)};
    }

    @Override
    public String name() {
        return "fused";
    }
}
