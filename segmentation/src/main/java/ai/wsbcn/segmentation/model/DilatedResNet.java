package ai.wsbcn.segmentation.model;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import ai.wsbcn.norm.ConvNorm;

import java.util.Arrays;

/**
 * A basic-block ResNet with DeepLab's dilation: stem (7x7 stride 2 conv, norm, ReLU, 3x3 stride 2 max pool), four
 * stages with strides 1/2/2/2 where the last strides are replaced by dilation to reach output stride 16 (stage 4
 * dilated 2) or 8 (stages 3 and 4 dilated 2 and 4), as torchvision's {@code replace_stride_with_dilation}; the last
 * stage's units multiply their dilation by the multi-grid (DeepLabV3's (1, 2, 4); (1, 1, 1) is plain). As in
 * torchvision and the official WS/BCN DeepLab code, the first unit of a dilated stage keeps the previous dilation. Names follow
 * torchvision ({@code conv1}, {@code bn1}, {@code layer1.0.conv1.weight}, ...). Outputs the last stage's map.
 *
 * <p>This small builder lets the segmentation pipeline and its demo run on their own; the full-size, ImageNet
 * pretrainable ResNets (ResNet-50/101, bottleneck blocks) come from the {@code pretrained} module's backbone builder.
 */
public final class DilatedResNet extends AbstractBlock {

    private final Block stem;
    private final Block[] layers;
    private final int outChannels;
    private final int outputStride;

    private DilatedResNet(Builder b) {
        ConvNorm cn = b.convNorm;
        SequentialBlock s = new SequentialBlock();
        Block conv1 = addChildBlock("conv1", cn.dilatedConv(7, b.widths[0], 2, 1, false));
        Block bn1 = addChildBlock("bn1", cn.norm(b.widths[0]));
        s.add(conv1).add(bn1).add(Activation::relu).add(Pool.maxPool2dBlock(new Shape(3, 3), new Shape(2, 2),
                new Shape(1, 1)));
        this.stem = s;
        this.layers = new Block[4];
        int in = b.widths[0];
        int dilation = 1;
        int stride = 4;
        for (int stage = 0; stage < 4; stage++) {
            int stageStride = stage == 0 ? 1 : 2;
            int previousDilation = dilation;
            if (stageStride == 2 && stride >= b.outputStride) {
                dilation *= 2;
                stageStride = 1;
            } else {
                stride *= stageStride;
            }
            SequentialBlock layer = new SequentialBlock();
            for (int u = 0; u < b.blocks[stage]; u++) {
                int grid = stage == 3 ? b.multiGrid[Math.min(u, b.multiGrid.length - 1)] : 1;
                int d = (u == 0 ? previousDilation : dilation) * grid;
                layer.add(new BasicBlock(cn, u == 0 ? in : b.widths[stage], b.widths[stage], u == 0 ? stageStride : 1,
                        d));
            }
            in = b.widths[stage];
            layers[stage] = addChildBlock("layer" + (stage + 1), layer);
        }
        this.outChannels = in;
        this.outputStride = b.outputStride;
    }

    public static Builder builder() {
        return new Builder();
    }

    public int outChannels() {
        return outChannels;
    }

    public int outputStride() {
        return outputStride;
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
                                     PairList<String, Object> params) {
        NDList x = stem.forward(ps, inputs, training);
        for (Block l : layers) {
            x = l.forward(ps, x, training);
        }
        return x;
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape[] s = stem.getOutputShapes(inputShapes);
        for (Block l : layers) {
            s = l.getOutputShapes(s);
        }
        return s;
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        // the stem's conv and norm are registered as children for their names; initialise through the sequence
        stem.initialize(manager, dataType, inputShapes);
        Shape[] s = stem.getOutputShapes(inputShapes);
        for (Block l : layers) {
            l.initialize(manager, dataType, s);
            s = l.getOutputShapes(s);
        }
    }

    /** Builder: {@code setConvNorm} is required. */
    public static final class Builder {
        private ConvNorm convNorm;
        private int[] blocks = {2, 2, 2, 2};
        private int[] widths = {64, 128, 256, 512};
        private int outputStride = 16;
        private int[] multiGrid = {1, 1, 1};

        public Builder setConvNorm(ConvNorm convNorm) {
            this.convNorm = convNorm;
            return this;
        }

        /** Basic blocks per stage (default ResNet-18's 2/2/2/2). */
        public Builder optBlocks(int... blocks) {
            if (blocks.length != 4) {
                throw new IllegalArgumentException("need 4 stage depths, got " + Arrays.toString(blocks));
            }
            this.blocks = blocks.clone();
            return this;
        }

        /** Channels per stage (default 64/128/256/512); the stem has the first stage's width. */
        public Builder optWidths(int... widths) {
            if (widths.length != 4) {
                throw new IllegalArgumentException("need 4 stage widths, got " + Arrays.toString(widths));
            }
            this.widths = widths.clone();
            return this;
        }

        public Builder optOutputStride(int outputStride) {
            if (outputStride != 8 && outputStride != 16 && outputStride != 32) {
                throw new IllegalArgumentException("output stride must be 8, 16 or 32, got " + outputStride);
            }
            this.outputStride = outputStride;
            return this;
        }

        /** Dilation multipliers of the last stage's units (default (1, 1, 1) as in the paper's Table 11). */
        public Builder optMultiGrid(int... multiGrid) {
            this.multiGrid = multiGrid.clone();
            return this;
        }

        public DilatedResNet build() {
            if (convNorm == null) {
                throw new IllegalArgumentException("DilatedResNet needs a ConvNorm");
            }
            return new DilatedResNet(this);
        }
    }
}
