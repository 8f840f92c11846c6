package ai.wsbcn.detection.model.rpn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.util.PairList;
import ai.wsbcn.detection.model.neck.ConvNormBlocks;
import ai.wsbcn.util.ForwardScope;

/**
 * torchvision's {@code RPNHead}: a shared 3x3 convolution + ReLU ({@code conv.0.0}), then per anchor an objectness
 * logit ({@code cls_logits}, 1x1) and four box deltas ({@code bbox_pred}, 1x1); all weights N(0, 0.01), biases 0.
 * Shared over the levels and, like torchvision's and Detectron's, without a norm layer. Input: the levels P2..P6;
 * output: {@code [logits_0 .. logits_{L-1}, deltas_0 .. deltas_{L-1}]} with shapes (N, A, H, W) and (N, 4A, H, W).
 */
public final class RpnHead extends AbstractBlock {

    private static final byte VERSION = 1;

    private final int channels;
    private final int anchors;
    private final Block conv;
    private final Block clsLogits;
    private final Block bboxPred;

    public RpnHead(int channels, int anchorsPerLocation) {
        super(VERSION);
        this.channels = channels;
        this.anchors = anchorsPerLocation;
        NormalInitializer init = new NormalInitializer(0.01f);
        Block c = conv(3, channels, init);
        this.conv = addChildBlock("conv", new SequentialBlock().add(
                new SequentialBlock().add(c).add(Activation.reluBlock())));
        this.clsLogits = addChildBlock("cls_logits", conv(1, anchorsPerLocation, init));
        this.bboxPred = addChildBlock("bbox_pred", conv(1, 4 * anchorsPerLocation, init));
    }

    private static Block conv(int kernel, int filters, NormalInitializer init) {
        Conv2d c = Conv2d.builder().setKernelShape(new Shape(kernel, kernel)).setFilters(filters)
                .optPadding(new Shape(kernel / 2, kernel / 2)).build();
        ConvNormBlocks.setInit(c, init);
        return c;
    }

    public int anchorsPerLocation() {
        return anchors;
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
            PairList<String, Object> params) {
        int levels = inputs.size();
        NDArray[] out = new NDArray[2 * levels];
        for (int l = 0; l < levels; l++) {
            // one scope per level (ForwardScope): the shared conv's pre-activation output is not kept
            NDList o = ForwardScope.run(new NDList(inputs.get(l)), in -> {
                NDList t = conv.forward(ps, in, training);
                return new NDList(clsLogits.forward(ps, t, training).singletonOrThrow(),
                        bboxPred.forward(ps, t, training).singletonOrThrow());
            });
            out[l] = o.get(0);
            out[levels + l] = o.get(1);
        }
        return new NDList(out);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        int levels = inputShapes.length;
        Shape[] out = new Shape[2 * levels];
        for (int l = 0; l < levels; l++) {
            Shape s = inputShapes[l];
            out[l] = new Shape(s.get(0), anchors, s.get(2), s.get(3));
            out[levels + l] = new Shape(s.get(0), 4L * anchors, s.get(2), s.get(3));
        }
        return out;
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape s = inputShapes[0];
        conv.initialize(manager, dataType, s);
        Shape t = new Shape(s.get(0), channels, s.get(2), s.get(3));
        clsLogits.initialize(manager, dataType, t);
        bboxPred.initialize(manager, dataType, t);
    }
}
