package ai.wsbcn.norm.engine;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

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
    public String name() {
        return "portable";
    }
}
