package ai.wsbcn.norm.engine;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.norm.BatchNorm;

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

    static boolean supports(NDArray x, boolean training) {
        String engine = x.getManager().getEngine().getEngineName();
        return "PyTorch".equals(engine) || ("MXNet".equals(engine) && training);
    }

    @Override
    public NDArray groupNormalize(NDArray x, int groups, float eps, boolean training) {
        Shape shape = x.getShape();
        long slices = shape.get(0) * groups;
        NDManager m = x.getManager();
        // Dummy running statistics: the kernel updates them in place, nobody reads them.
        NDArray runningMean = m.zeros(new Shape(slices), x.getDataType());
        NDArray runningVar = m.ones(new Shape(slices), x.getDataType());
        NDArray gamma = m.ones(new Shape(slices), x.getDataType());
        NDArray beta = m.zeros(new Shape(slices), x.getDataType());
        NDArray view = x.reshape(1, slices, -1);
        NDArray out = BatchNorm.batchNorm(view, runningMean, runningVar, gamma, beta, 1, 0.9f, eps, true)
                .singletonOrThrow();
        return out.reshape(shape);
    }

    @Override
    public String name() {
        return "fused";
    }
}
