package ai.wsbcn.segmentation.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import ai.wsbcn.norm.ConvNorm;

/**
 * A ResNet basic block (two 3x3 convs) with torchvision's names ({@code conv1}, {@code bn1}, {@code conv2},
 * {@code bn2}, {@code downsample.0/1}); the first conv carries the stride and both convs the dilation.
 */
final class BasicBlock extends AbstractBlock {

    private final Block conv1;
    private final Block bn1;
    private final Block conv2;
    private final Block bn2;
    private final Block downsample;

    BasicBlock(ConvNorm cn, int inChannels, int filters, int stride, int dilation) {
        conv1 = addChildBlock("conv1", cn.dilatedConv(3, filters, stride, dilation, false));
        bn1 = addChildBlock("bn1", cn.norm(filters));
        conv2 = addChildBlock("conv2", cn.dilatedConv(3, filters, 1, dilation, false));
        bn2 = addChildBlock("bn2", cn.norm(filters));
        downsample = stride != 1 || inChannels != filters ? addChildBlock("downsample",
                new SequentialBlock().add(cn.dilatedConv(1, filters, stride, 1, false)).add(cn.norm(filters))) : null;
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
                                     PairList<String, Object> params) {
        NDArray y = conv1.forward(ps, inputs, training).singletonOrThrow();
        y = Activation.relu(bn1.forward(ps, new NDList(y), training).singletonOrThrow());
        y = conv2.forward(ps, new NDList(y), training).singletonOrThrow();
        y = bn2.forward(ps, new NDList(y), training).singletonOrThrow();
        NDArray shortcut = downsample == null ? inputs.singletonOrThrow()
                : downsample.forward(ps, inputs, training).singletonOrThrow();
        return new NDList(Activation.relu(y.add(shortcut)));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape s = conv1.getOutputShapes(inputShapes)[0];
        return conv2.getOutputShapes(new Shape[] {s});
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        conv1.initialize(manager, dataType, inputShapes);
        Shape s = conv1.getOutputShapes(inputShapes)[0];
        bn1.initialize(manager, dataType, s);
        conv2.initialize(manager, dataType, s);
        bn2.initialize(manager, dataType, s);
        if (downsample != null) {
            downsample.initialize(manager, dataType, inputShapes);
        }
    }
}
