package ai.wsbcn.segmentation.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.norm.Dropout;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import ai.wsbcn.norm.ConvNorm;

import java.util.ArrayList;
import java.util.List;

/**
 * Atrous Spatial Pyramid Pooling (DeepLabV3): in parallel a 1x1 conv, three 3x3 atrous convs (rates 6/12/18 at
 * output stride 16, doubled to 12/24/36 at output stride 8) and the image-pooling branch, each with norm + ReLU and
 * {@code filters} channels; concatenated and projected by a 1x1 conv + norm + ReLU (+ dropout, 0.5 as torchvision).
 * Parameter names follow torchvision's {@code ASPP}: {@code convs.0.0.weight}, {@code convs.1.1.running_var},
 * {@code convs.4.1.weight} (pooling conv), {@code project.0.weight}, ...
 */
public final class Aspp extends AbstractBlock {

    private final List<Block> branches = new ArrayList<>();
    private final SequentialBlock project;
    private final int filters;

    private Aspp(Builder b) {
        this.filters = b.filters;
        ConvNorm cn = b.convNorm;
        branches.add(addChildBlock("convs.0", new SequentialBlock().add(cn.dilatedConv(1, filters, 1, 1, false))
                .add(cn.norm(filters)).add(Activation::relu)));
        for (int i = 0; i < b.rates.length; i++) {
            branches.add(addChildBlock("convs." + (i + 1), new SequentialBlock()
                    .add(cn.dilatedConv(3, filters, 1, b.rates[i], false)).add(cn.norm(filters))
                    .add(Activation::relu)));
        }
        branches.add(addChildBlock("convs." + (b.rates.length + 1), new ImagePooling(cn, filters)));
        SequentialBlock p = new SequentialBlock().add(cn.dilatedConv(1, filters, 1, 1, false)).add(cn.norm(filters))
                .add(Activation::relu);
        if (b.dropout > 0) {
            p.add(Dropout.builder().optRate(b.dropout).build());
        }
        this.project = addChildBlock("project", p);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The atrous rates of DeepLabV3 for an output stride: 6/12/18 at 16, doubled at 8. */
    public static int[] ratesFor(int outputStride) {
        return switch (outputStride) {
            case 16 -> new int[] {6, 12, 18};
            case 8 -> new int[] {12, 24, 36};
            default -> throw new IllegalArgumentException("output stride must be 8 or 16, got " + outputStride);
        };
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
                                     PairList<String, Object> params) {
        NDList outs = new NDList(branches.size());
        for (Block b : branches) {
            outs.add(b.forward(ps, inputs, training).singletonOrThrow());
        }
        NDArray cat = NDArrays.concat(outs, 1);
        return project.forward(ps, new NDList(cat), training);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape s = inputShapes[0];
        return new Shape[] {new Shape(s.get(0), filters, s.get(2), s.get(3))};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        for (Block b : branches) {
            b.initialize(manager, dataType, inputShapes);
        }
        Shape s = inputShapes[0];
        project.initialize(manager, dataType, new Shape(s.get(0), (long) filters * branches.size(), s.get(2), s.get(3)));
    }

    /** Builder: {@code setConvNorm} is required. */
    public static final class Builder {
        private ConvNorm convNorm;
        private int filters = 256;
        private int[] rates = {6, 12, 18};
        private float dropout = 0.5f;

        public Builder setConvNorm(ConvNorm convNorm) {
            this.convNorm = convNorm;
            return this;
        }

        /** Channels of every branch and of the output (default 256). */
        public Builder optFilters(int filters) {
            this.filters = filters;
            return this;
        }

        /** Atrous rates of the 3x3 branches (default 6/12/18; see {@link #ratesFor}). */
        public Builder optRates(int... rates) {
            this.rates = rates.clone();
            return this;
        }

        /** Dropout after the projection in training (default 0.5, as torchvision; 0 = none). */
        public Builder optDropout(float dropout) {
            this.dropout = dropout;
            return this;
        }

        public Aspp build() {
            if (convNorm == null) {
                throw new IllegalArgumentException("Aspp needs a ConvNorm");
            }
            return new Aspp(this);
        }
    }
}
