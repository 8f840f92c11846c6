package ai.wsbcn.detection.model.roi;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import ai.wsbcn.detection.model.neck.ConvNormBlocks;

/**
 * torchvision's {@code MaskRCNNPredictor}: a 2x2 stride-2 transposed convolution {@code conv5_mask}
 * ({@link TransposedConv2x2}) + ReLU (14 to
 * 28), then a 1x1 convolution {@code mask_fcn_logits} to one mask logit map per class (K+1, background included);
 * weights kaiming_normal(fan_out), biases 0. Input (R, C, 14, 14); output (R, K+1, 28, 28).
 */
public final class MaskRcnnPredictor extends AbstractBlock {

    private static final byte VERSION = 1;

    private final int channels;
    private final int classesWithBackground;
    private final Block conv5Mask;
    private final Block maskFcnLogits;

    public MaskRcnnPredictor(int channels, int classesWithBackground) {
        super(VERSION);
        this.channels = channels;
        this.classesWithBackground = classesWithBackground;
        TransposedConv2x2 deconv = new TransposedConv2x2(channels);
        Conv2d logits = Conv2d.builder().setKernelShape(new Shape(1, 1)).setFilters(classesWithBackground).build();
        ConvNormBlocks.setInit(logits, ConvNormBlocks.KAIMING_NORMAL_FAN_OUT);
        this.conv5Mask = addChildBlock("conv5_mask", deconv);
        this.maskFcnLogits = addChildBlock("mask_fcn_logits", logits);
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
            PairList<String, Object> params) {
        NDArray x = conv5Mask.forward(ps, inputs, training).singletonOrThrow();
        x = Activation.relu(x);
        return maskFcnLogits.forward(ps, new NDList(x), training);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape s = inputShapes[0];
        return new Shape[] {new Shape(s.get(0), classesWithBackground, s.get(2) * 2, s.get(3) * 2)};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape s = inputShapes[0];
        conv5Mask.initialize(manager, dataType, s);
        maskFcnLogits.initialize(manager, dataType, new Shape(s.get(0), channels, s.get(2) * 2, s.get(3) * 2));
    }
}
