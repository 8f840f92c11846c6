package ai.wsbcn.util;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;

/**
 * Input checks at the entry of image networks: a single {@code (3, H, W)} image passed without its batch axis
 * otherwise fails deep inside with DJL's "the shape of input or weight doesn't match the conv2d".
 */
public final class ImageInputs {

    private ImageInputs() {}

    /** The one array of {@code inputs}, which must be an image batch {@code (N, C, H, W)}. */
    public static NDArray requireBatch(String network, NDList inputs) {
        if (inputs == null || inputs.size() != 1) {
            throw new IllegalArgumentException(network + " takes one image batch (N, 3, H, W), got "
                    + (inputs == null ? "null" : inputs.size() + " arrays"));
        }
        NDArray x = inputs.get(0);
        if (x.getShape().dimension() != 4) {
            throw new IllegalArgumentException(network + " takes an image batch (N, 3, H, W), got " + x.getShape()
                    + (x.getShape().dimension() == 3 ? " (add the batch axis: expandDims(0))" : ""));
        }
        return x;
    }
}
