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
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import ai.wsbcn.norm.ConvNorm;
import ai.wsbcn.util.ImageInputs;

/**
 * DeepLabV3: a dilated backbone, then torchvision's {@code DeepLabHead} ({@code classifier.0} = {@link Aspp},
 * {@code classifier.1} = 3x3 conv, {@code classifier.2} = norm, ReLU, {@code classifier.4} = 1x1 classifier conv with
 * bias) and bilinear upsampling of the logits to the input size. Input {@code N x 3 x H x W} (normalised RGB); output
 * {@code N x numClasses x H x W} logits.
 */
public final class DeepLabV3 extends AbstractBlock {

    private final Block backbone;
    private final SequentialBlock classifier;
    private final boolean alignCorners;
    private final int numClasses;
    private final String description;

    private DeepLabV3(Builder b) {
        this.backbone = addChildBlock("backbone", b.backbone);
        ConvNorm cn = b.convNorm;
        int[] rates = b.rates != null ? b.rates : Aspp.ratesFor(b.outputStride);
        SequentialBlock head = new SequentialBlock()
                .add(Aspp.builder().setConvNorm(cn).optFilters(b.filters).optRates(rates).optDropout(b.dropout)
                        .build())
                .add(cn.dilatedConv(3, b.filters, 1, 1, false))
                .add(cn.norm(b.filters))
                .add(Activation::relu)
                .add(Conv2d.builder().setKernelShape(new Shape(1, 1)).setFilters(b.numClasses).optBias(true).build());
        this.classifier = addChildBlock("classifier", head);
        this.alignCorners = b.alignCorners;
        this.numClasses = b.numClasses;
        this.description = "DeepLabV3(" + cn.describe() + ", OS" + b.outputStride + ", ASPP rates "
                + java.util.Arrays.toString(rates) + ", " + b.filters + " ch, " + b.numClasses + " classes)";
    }

    public static Builder builder() {
        return new Builder();
    }

    public int numClasses() {
        return numClasses;
    }

    public String describe() {
        return description;
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
                                     PairList<String, Object> params) {
        NDArray x = ImageInputs.requireBatch("DeepLabV3", inputs);
        NDList features = backbone.forward(ps, inputs, training);
        // backbones may return several stages (C2..C5); the head reads the last
        NDArray last = features.get(features.size() - 1);
        NDArray logits = classifier.forward(ps, new NDList(last), training).singletonOrThrow();
        return new NDList(BilinearUpsample.resize(logits, (int) x.getShape().get(2), (int) x.getShape().get(3),
                alignCorners));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape s = inputShapes[0];
        return new Shape[] {new Shape(s.get(0), numClasses, s.get(2), s.get(3))};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        backbone.initialize(manager, dataType, inputShapes);
        Shape[] features = backbone.getOutputShapes(inputShapes);
        classifier.initialize(manager, dataType, features[features.length - 1]);
    }

    /** Builder: {@code setBackbone}, {@code setConvNorm} and {@code setNumClasses} are required. */
    public static final class Builder {
        private Block backbone;
        private ConvNorm convNorm;
        private int numClasses;
        private int outputStride = 16;
        private int[] rates;
        private int filters = 256;
        private float dropout = 0.5f;
        private boolean alignCorners;

        /** A block mapping the image to feature maps; the last one (at the output stride) feeds the head. */
        public Builder setBackbone(Block backbone) {
            this.backbone = backbone;
            return this;
        }

        /** Conv and norm of the head (normally the backbone's own). */
        public Builder setConvNorm(ConvNorm convNorm) {
            this.convNorm = convNorm;
            return this;
        }

        public Builder setNumClasses(int numClasses) {
            this.numClasses = numClasses;
            return this;
        }

        /** The backbone's output stride, 16 (default) or 8: picks the ASPP rates 6/12/18 or 12/24/36. */
        public Builder optOutputStride(int outputStride) {
            this.outputStride = outputStride;
            return this;
        }

        /** Explicit ASPP rates (overrides the output-stride default; small inputs want smaller rates). */
        public Builder optRates(int... rates) {
            this.rates = rates.clone();
            return this;
        }

        /** Head channels (default 256). */
        public Builder optFilters(int filters) {
            this.filters = filters;
            return this;
        }

        public Builder optDropout(float dropout) {
            this.dropout = dropout;
            return this;
        }

        /** Corner convention of the final upsampling (default false, torchvision's; the official code uses true). */
        public Builder optAlignCorners(boolean alignCorners) {
            this.alignCorners = alignCorners;
            return this;
        }

        public DeepLabV3 build() {
            if (backbone == null || convNorm == null || numClasses < 1) {
                throw new IllegalArgumentException("DeepLabV3 needs a backbone, a ConvNorm and numClasses >= 1");
            }
            if (rates == null) {
                Aspp.ratesFor(outputStride);
            }
            return new DeepLabV3(this);
        }
    }
}
