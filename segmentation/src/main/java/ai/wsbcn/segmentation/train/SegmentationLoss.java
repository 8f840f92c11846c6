package ai.wsbcn.segmentation.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;

/**
 * Per-pixel softmax cross-entropy that ignores label 255 (PyTorch's {@code CrossEntropyLoss(ignore_index=255)} with
 * mean reduction): the mean over the non-ignored pixels of {@code -log softmax(logits)[label]}.
 */
public final class SegmentationLoss {

    public static final int IGNORE = 255;

    private SegmentationLoss() {}

    /**
     * @param logits {@code N x K x H x W}
     * @param labels {@code N x H x W}, any numeric type, values {@code 0..K-1} or 255
     * @return a scalar; 0 when every pixel is ignored
     */
    public static NDArray crossEntropy(NDArray logits, NDArray labels) {
        NDArray lab = labels.toType(DataType.INT32, false);
        NDArray valid = lab.neq(IGNORE);
        NDArray safe = lab.mul(valid.toType(DataType.INT32, false));
        NDArray logp = logits.logSoftmax(1);
        // pick along the class axis: N x H x W
        NDArray picked = logp.get(new NDIndex().addAllDim().addPickDim(safe.expandDims(1))).reshape(safe.getShape());
        NDArray validF = valid.toType(logits.getDataType(), false);
        NDArray count = validF.sum().maximum(1f);
        return picked.mul(validF).sum().neg().div(count);
    }
}
