package ai.wsbcn.pretrained.backbone;

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
import ai.wsbcn.norm.ConvSpec;
import ai.wsbcn.norm.NormSpec;

import java.util.ArrayList;
import java.util.List;

/**
 * A residual unit {@code relu(F(x) + shortcut(x))} where F is a chain of conv -> norm (-> relu) pairs named
 * {@code conv1, bn1, conv2, bn2, ...} and the shortcut is either the identity or {@code downsample} = 1x1 conv + norm,
 * torchvision's names and order, so {@link ai.wsbcn.norm.BlockPaths} yields its state_dict keys. The norms are called
 * {@code bnK} whatever the {@link NormSpec}, as the official WS/BCN code does.
 */
public abstract class ResidualBlock extends AbstractBlock {

    private static final byte VERSION = 1;

    private final List<Block> convs = new ArrayList<>();
    private final List<Block> norms = new ArrayList<>();
    private final SequentialBlock downsample;
    private final int outChannels;

    /**
     * @param norm the norm and conv flavour of this unit
     * @param convSpecs the convolutions of F, in order
     * @param inChannels the input channel count (decides, with the stride, whether a projection shortcut is needed)
     * @param stride the unit's stride (carried by one of the convolutions and by the shortcut)
     */
    protected ResidualBlock(NormSpec norm, List<ConvSpec> convSpecs, int inChannels, int stride) {
        super(VERSION);
        for (int i = 0; i < convSpecs.size(); i++) {
            ConvSpec c = convSpecs.get(i);
            convs.add(addChildBlock("conv" + (i + 1), norm.buildConv(c)));
            norms.add(addChildBlock("bn" + (i + 1), norm.buildNorm(c.filters())));
        }
        outChannels = convSpecs.get(convSpecs.size() - 1).filters();
        if (stride != 1 || inChannels != outChannels) {
            SequentialBlock proj = new SequentialBlock();
            proj.add(norm.buildConv(ConvSpec.builder().setKernel(1).setFilters(outChannels).optStride(stride).build()));
            proj.add(norm.buildNorm(outChannels));
            downsample = addChildBlock("downsample", proj);
        } else {
            downsample = null;
        }
    }

    public int outChannels() {
        return outChannels;
    }

    /** Whether the shortcut is a projection ({@code downsample}) rather than the identity. */
    public boolean hasDownsample() {
        return downsample != null;
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
            PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        NDArray out = x;
        for (int i = 0; i < convs.size(); i++) {
            out = convs.get(i).forward(ps, new NDList(out), training).singletonOrThrow();
            out = norms.get(i).forward(ps, new NDList(out), training).singletonOrThrow();
            if (i < convs.size() - 1) {
                out = Activation.relu(out);
            }
        }
        NDArray shortcut = downsample == null ? x : downsample.forward(ps, new NDList(x), training).singletonOrThrow();
        return new NDList(Activation.relu(out.add(shortcut)));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape[] s = inputShapes;
        for (Block conv : convs) {
            s = conv.getOutputShapes(s);
        }
        return s;
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape[] s = inputShapes;
        for (int i = 0; i < convs.size(); i++) {
            convs.get(i).initialize(manager, dataType, s);
            s = convs.get(i).getOutputShapes(s);
            norms.get(i).initialize(manager, dataType, s);
        }
        if (downsample != null) {
            downsample.initialize(manager, dataType, inputShapes);
        }
    }
}
