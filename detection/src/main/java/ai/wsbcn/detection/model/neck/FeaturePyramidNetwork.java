package ai.wsbcn.detection.model.neck;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import ai.wsbcn.norm.NormSpec;
import ai.wsbcn.util.ForwardScope;

/**
 * torchvision's {@code FeaturePyramidNetwork} with {@code LastLevelMaxPool}: for inputs C2..C5 a lateral 1x1
 * convolution per level ({@code inner_blocks.i}), a top-down path adding the coarser level upsampled by nearest
 * neighbour, a 3x3 output convolution per level ({@code layer_blocks.i}), and P6 = max-pool(kernel 1, stride 2) of
 * P5. Convolutions carry the norm of the {@link NormSpec} for GN/BCN variants (see {@link ConvNormBlocks}); weights
 * are initialised with kaiming_uniform(a=1), biases zero, as torchvision. Input: NDList C2..C5; output: P2..P6.
 */
public final class FeaturePyramidNetwork extends AbstractBlock {

    private static final byte VERSION = 1;

    private final int[] inChannels;
    private final int outChannels;
    private final SequentialBlock innerBlocks;
    private final SequentialBlock layerBlocks;

    public FeaturePyramidNetwork(NormSpec spec, int[] inChannels, int outChannels) {
        super(VERSION);
        this.inChannels = inChannels.clone();
        this.outChannels = outChannels;
        SequentialBlock inner = new SequentialBlock();
        SequentialBlock layer = new SequentialBlock();
        for (int i = 0; i < inChannels.length; i++) {
            inner.add(ConvNormBlocks.convNorm(spec, 1, outChannels, false, ConvNormBlocks.KAIMING_UNIFORM_A1));
            layer.add(ConvNormBlocks.convNorm(spec, 3, outChannels, false, ConvNormBlocks.KAIMING_UNIFORM_A1));
        }
        // Containers only (torch ModuleList): their children are run one by one in forwardInternal.
        this.innerBlocks = addChildBlock("inner_blocks", inner);
        this.layerBlocks = addChildBlock("layer_blocks", layer);
    }

    /** Number of output levels (inputs + the max-pooled extra level). */
    public int numOutputs() {
        return inChannels.length + 1;
    }

    public int outChannels() {
        return outChannels;
    }

    private Block inner(int i) {
        return innerBlocks.getChildren().get(i).getValue();
    }

    private Block layer(int i) {
        return layerBlocks.getChildren().get(i).getValue();
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
            PairList<String, Object> params) {
        int n = inChannels.length;
        if (inputs.size() != n) {
            throw new IllegalArgumentException("FPN expects " + n + " feature maps, got " + inputs.size());
        }
        NDArray[] results = new NDArray[n + 1];
        // Each level runs in its own scope (ForwardScope): only the level's outputs and what autograd saved survive.
        NDList top = ForwardScope.run(new NDList(inputs.get(n - 1)), in -> {
            NDArray inner = inner(n - 1).forward(ps, in, training).singletonOrThrow();
            return new NDList(inner, layer(n - 1).forward(ps, new NDList(inner), training).singletonOrThrow());
        });
        NDArray lastInner = top.get(0);
        results[n - 1] = top.get(1);
        for (int i = n - 2; i >= 0; i--) {
            int level = i;
            NDList lv = ForwardScope.run(new NDList(inputs.get(i), lastInner), in -> {
                NDArray lateral = inner(level).forward(ps, new NDList(in.get(0)), training).singletonOrThrow();
                NDArray topDown = upsampleNearest(in.get(1), lateral.getShape().get(2), lateral.getShape().get(3));
                NDArray merged = lateral.add(topDown);
                return new NDList(merged, layer(level).forward(ps, new NDList(merged), training).singletonOrThrow());
            });
            ForwardScope.closeIfOwned(lastInner); // consumed: only autograd may still need it
            lastInner = lv.get(0);
            results[i] = lv.get(1);
        }
        ForwardScope.closeIfOwned(lastInner);
        // LastLevelMaxPool: F.max_pool2d(P5, kernel 1, stride 2, padding 0) = every other pixel.
        results[n] = Pool.maxPool2d(results[n - 1], new Shape(1, 1), new Shape(2, 2), new Shape(0, 0), false);
        return new NDList(results);
    }

    /**
     * PyTorch's {@code interpolate(mode="nearest", size=(h, w))}: source index {@code floor(dst * in / out)}. The
     * usual case (exactly twice the size) is a repeat; other sizes are gathered by index.
     */
    static NDArray upsampleNearest(NDArray x, long outH, long outW) {
        long h = x.getShape().get(2);
        long w = x.getShape().get(3);
        if (outH == 2 * h && outW == 2 * w) {
            return x.repeat(2, 2).repeat(3, 2);
        }
        NDArray out = x;
        if (outH != h) {
            out = out.get(new NDIndex(":, :, {}", nearestIndex(x.getManager(), h, outH)));
        }
        if (outW != w) {
            out = out.get(new NDIndex(":, :, :, {}", nearestIndex(x.getManager(), w, outW)));
        }
        return out;
    }

    private static NDArray nearestIndex(NDManager manager, long in, long out) {
        float scale = (float) in / out;
        long[] idx = new long[(int) out];
        for (int i = 0; i < out; i++) {
            idx[i] = Math.min((long) Math.floor(i * scale), in - 1);
        }
        return manager.create(idx);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape[] out = new Shape[inChannels.length + 1];
        for (int i = 0; i < inChannels.length; i++) {
            Shape s = inputShapes[i];
            out[i] = new Shape(s.get(0), outChannels, s.get(2), s.get(3));
        }
        Shape last = out[inChannels.length - 1];
        out[inChannels.length] = new Shape(last.get(0), outChannels, (last.get(2) + 1) / 2, (last.get(3) + 1) / 2);
        return out;
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        for (int i = 0; i < inChannels.length; i++) {
            Shape s = inputShapes[i];
            inner(i).initialize(manager, dataType, s);
            layer(i).initialize(manager, dataType, new Shape(s.get(0), outChannels, s.get(2), s.get(3)));
        }
    }
}
