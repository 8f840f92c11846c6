package ai.wsbcn.detection.ops;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/** Differentiable row selection shared by the detection operators (the engine's take / index_select). */
public final class Gather {

    private Gather() {}

    /** Rows {@code idx} along axis 0 of {@code x} (any rank), in the order given; gradient = scatter-add. */
    public static NDArray rows(NDArray x, int[] idx) {
        long[] l = new long[idx.length];
        for (int i = 0; i < idx.length; i++) {
            l[i] = idx[i];
        }
        Shape s = x.getShape();
        NDArray flat = x.reshape(s.get(0), -1);
        NDArray picked = PortableDetectionOps.gatherRows(flat, x.getManager().create(l));
        return picked.reshape(new Shape(idx.length).addAll(s.slice(1)));
    }
}
