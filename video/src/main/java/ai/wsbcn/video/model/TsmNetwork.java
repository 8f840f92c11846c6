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
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.Dropout;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import ai.wsbcn.norm.ConvNorm;

/**
 * TSM (or, without the shift, TSN) on a ResNet: clips {@code (N, T, 3, H, W)} are folded to frames
 * {@code (N*T, 3, H, W)} (so every norm layer sees {@code N*T} frames as its batch), run through the ResNet whose
 * residual units shift channels in time ({@link ResidualUnit}), pooled per frame, dropped out (0.5) and classified
 * frame by frame; the clip's scores are the average over its {@code T} frames (TSN's average consensus). Output
 * {@code (N, classes)} logits.
 */
public final class TsmNetwork extends AbstractBlock {

    private static final byte VERSION = 1;

    private final int segments;
    private final int classes;
    private final boolean shift;
    private final TsmArchitecture arch;
    private final String normName;
    private final Block backbone;
    private final Block dropout;
    private final Block fc;

    private TsmNetwork(Builder b) {
        super(VERSION);
        this.segments = b.segments;
        this.classes = b.classes;
        this.shift = b.shift;
        this.arch = b.arch;
        this.normName = b.convNorm.describe();
        this.backbone = addChildBlock("backbone", buildBackbone(b));
        this.dropout = addChildBlock("dropout", Dropout.builder().optRate(b.dropout).build());
        this.fc = addChildBlock("fc", Linear.builder().setUnits(classes).build());
    }

    public static Builder builder() {
        return new Builder();
    }

    private static Block buildBackbone(Builder b) {
        ConvNorm cn = b.convNorm;
        TsmArchitecture a = b.arch;
        SequentialBlock net = new SequentialBlock();
        int ch = a.stemWidth();
        if (a.imagenetStem()) {
            net.add(cn.conv(7, ch, 2, 3)).add(cn.norm(ch)).add(Activation::relu)
                    .add(Pool.maxPool2dBlock(new Shape(3, 3), new Shape(2, 2), new Shape(1, 1)));
        } else {
            net.add(cn.conv(3, ch, b.stemStride, 1)).add(cn.norm(ch)).add(Activation::relu);
        }
        for (int s = 0; s < a.blocks().length; s++) {
            for (int u = 0; u < a.blocks()[s]; u++) {
                int stride = (u == 0 && s > 0) ? 2 : 1;
                TemporalShift ts = b.shift
                        ? TemporalShift.builder().optNSegment(b.segments).optFoldDiv(b.foldDiv).build() : null;
                ResidualUnit unit = ResidualUnit.create(cn, ch, a.widths()[s], a.bottleneck(), stride, ts);
                net.add(unit);
                ch = a.widths()[s] * (a.bottleneck() ? 4 : 1);
            }
        }
        net.add(Pool.globalAvgPool2dBlock());
        return net;
    }

    public int segments() {
        return segments;
    }

    public int classes() {
        return classes;
    }

    public boolean hasShift() {
        return shift;
    }

    public TsmArchitecture architecture() {
        return arch;
    }

    /** The normalisation's name ({@link ConvNorm#describe()}). */
    public String normName() {
        return normName;
    }

    /** The per-frame linear classifier (torch name {@code fc}). */
    public Block classifier() {
        return fc;
    }

    public Block backbone() {
        return backbone;
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
            PairList<String, Object> params) {
        NDArray clips = inputs.singletonOrThrow();
        Shape s = clips.getShape();
        if (s.dimension() != 5 || s.get(1) != segments) {
            throw new IllegalArgumentException("expected clips (N, " + segments + ", C, H, W), got " + s);
        }
        long n = s.get(0);
        NDArray frames = clips.reshape(n * segments, s.get(2), s.get(3), s.get(4));
        NDArray feat = backbone.forward(ps, new NDList(frames), training, params).singletonOrThrow();
        feat = dropout.forward(ps, new NDList(feat), training, params).singletonOrThrow();
        NDArray logits = fc.forward(ps, new NDList(feat), training, params).singletonOrThrow();
        return new NDList(logits.reshape(n, segments, classes).mean(new int[] {1}));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {new Shape(inputShapes[0].get(0), classes)};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape s = inputShapes[0];
        Shape frames = new Shape(s.get(0) * s.get(1), s.get(2), s.get(3), s.get(4));
        backbone.initialize(manager, dataType, frames);
        Shape feat = backbone.getOutputShapes(new Shape[] {frames})[0];
        dropout.initialize(manager, dataType, feat);
        fc.initialize(manager, dataType, feat);
    }

    @Override
    public String toString() {
        return (shift ? "TSM" : "TSN") + "(" + arch + ", " + normName + ", T=" + segments + ", classes=" + classes
                + ")";
    }

    /** Builder: {@code setClasses} and {@code setConvNorm} required; ResNet-50, 8 segments, fold_div 8, shift on. */
    public static final class Builder {
        private int segments = 8;
        private int foldDiv = 8;
        private int classes;
        private boolean shift = true;
        private float dropout = 0.5f;
        private int stemStride = 1;
        private TsmArchitecture arch = TsmArchitecture.RESNET50;
        private ConvNorm convNorm;

        private Builder() {}

        public Builder setClasses(int classes) {
            this.classes = classes;
            return this;
        }

        public Builder setConvNorm(ConvNorm convNorm) {
            this.convNorm = convNorm;
            return this;
        }

        public Builder optArchitecture(TsmArchitecture arch) {
            this.arch = arch;
            return this;
        }

        public Builder optSegments(int segments) {
            this.segments = segments;
            return this;
        }

        public Builder optFoldDiv(int foldDiv) {
            this.foldDiv = foldDiv;
            return this;
        }

        /** {@code false} builds TSN: the same network without any temporal shift. */
        public Builder optShift(boolean shift) {
            this.shift = shift;
            return this;
        }

        public Builder optDropout(float dropout) {
            this.dropout = dropout;
            return this;
        }

        /** Stride of the small ResNets' 3x3 stem (default 1); ignored by the ImageNet stem. */
        public Builder optStemStride(int stemStride) {
            this.stemStride = stemStride;
            return this;
        }

        public TsmNetwork build() {
            if (classes < 1) {
                throw new IllegalArgumentException("setClasses is required");
            }
            if (convNorm == null) {
                throw new IllegalArgumentException("setConvNorm is required");
            }
            return new TsmNetwork(this);
        }
    }
}
