package ai.wsbcn.video.model;

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
 * A ResNet residual unit (basic: two 3x3 convs; bottleneck: 1x1, 3x3, 1x1 with expansion 4, stride on the 3x3 as in
 * torchvision) with an optional {@link TemporalShift} in TSM's residual ("blockres") placement: the shift acts on the
 * residual branch only, right before its first convolution, while the shortcut carries the unshifted input, so a
 * unit can always fall back to its spatial (ImageNet) behaviour.
 */
public final class ResidualUnit extends AbstractBlock {

    private static final byte VERSION = 1;

    private final TemporalShift shift;
    private final SequentialBlock branch;
    private final Block downsample;

    private ResidualUnit(TemporalShift shift, SequentialBlock branch, Block downsample) {
        super(VERSION);
        this.shift = shift;
        this.branch = addChildBlock("branch", branch);
        this.downsample = downsample == null ? null : addChildBlock("downsample", downsample);
    }

    /**
     * A unit from {@code inChannels} to {@code width * expansion} channels ({@code expansion} 1 = basic, 4 =
     * bottleneck) with {@code stride} on its spatial conv; {@code shift} may be {@code null} (TSN).
     */
    public static ResidualUnit create(ConvNorm cn, int inChannels, int width, boolean bottleneck, int stride,
            TemporalShift shift) {
        SequentialBlock b = new SequentialBlock();
        int out;
        if (bottleneck) {
            out = width * 4;
            b.add(cn.conv(1, width, 1, 0)).add(cn.norm(width)).add(Activation::relu)
                    .add(cn.conv(3, width, stride, 1)).add(cn.norm(width)).add(Activation::relu)
                    .add(cn.conv(1, out, 1, 0)).add(cn.norm(out));
        } else {
            out = width;
            b.add(cn.conv(3, width, stride, 1)).add(cn.norm(width)).add(Activation::relu)
                    .add(cn.conv(3, width, 1, 1)).add(cn.norm(width));
        }
        Block down = null;
        if (stride != 1 || inChannels != out) {
            down = new SequentialBlock().add(cn.conv(1, out, stride, 0)).add(cn.norm(out));
        }
        return new ResidualUnit(shift, b, down);
    }

    public boolean hasShift() {
        return shift != null;
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
            PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        NDArray in = shift == null ? x : TemporalShift.shift(x, shift.nSegment(), shift.foldDiv());
        NDArray y = branch.forward(ps, new NDList(in), training, params).singletonOrThrow();
        NDArray identity = downsample == null ? x
                : downsample.forward(ps, new NDList(x), training, params).singletonOrThrow();
        return new NDList(Activation.relu(y.add(identity)));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return branch.getOutputShapes(inputShapes);
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        branch.initialize(manager, dataType, inputShapes);
        if (downsample != null) {
            downsample.initialize(manager, dataType, inputShapes);
        }
    }

    @Override
    public String toString() {
        return "ResidualUnit(" + (shift == null ? "no shift" : shift) + ")";
    }
}
