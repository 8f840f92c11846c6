package ai.wsbcn.pretrained.backbone;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import ai.wsbcn.norm.BlockPaths;
import ai.wsbcn.norm.NormSpec;
import ai.wsbcn.util.ForwardScope;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A ResNet/ResNeXt with torchvision's structure and state_dict names ({@code conv1}, {@code bn1},
 * {@code layer1.0.conv1}, {@code layer1.0.downsample.0}, {@code fc}), built by {@link ResNets#builder()} for any
 * {@link NormSpec}. Input (N, C, H, W); output either the logits (N, classes) or, as a feature extractor, the NDList
 * of the stage outputs C2..C5 (resnet8: its three stages).
 *
 * <p>Frozen parts (see {@link ResNets.Builder#optFreezeAt}) have {@code requiresGradient() == false} on every
 * parameter; DJL's {@code Block.freezeParameters(false)} would undo that, so don't call it on this block.
 */
public final class ResNet extends AbstractBlock {

    private static final byte VERSION = 1;

    private final ResNetArch arch;
    private final NormSpec norm;
    private final boolean features;
    private final int numClasses;
    private final int freezeAt;
    private final int outputStride;
    private final int[] featureChannels;
    private final int[] featureStrides;
    private final int[] stageDilations;
    private final Block conv1;
    private final Block bn1;
    private final List<SequentialBlock> stages;
    private final Block fc;

    ResNet(ResNets.Builder b, Block conv1, Block bn1, List<SequentialBlock> stages, Block fc, int[] featureChannels,
            int[] featureStrides, int[] stageDilations, int outputStride) {
        super(VERSION);
        this.arch = b.arch;
        this.norm = b.norm;
        this.features = b.features;
        this.numClasses = b.numClasses;
        this.freezeAt = b.freezeAt;
        this.outputStride = outputStride;
        this.featureChannels = featureChannels;
        this.featureStrides = featureStrides;
        this.stageDilations = stageDilations;
        this.conv1 = addChildBlock("conv1", conv1);
        this.bn1 = addChildBlock("bn1", bn1);
        for (int i = 0; i < stages.size(); i++) {
            addChildBlock("layer" + (i + 1), stages.get(i));
        }
        this.stages = List.copyOf(stages);
        this.fc = fc == null ? null : addChildBlock("fc", fc);
        freezeParts();
    }

    private void freezeParts() {
        for (Map.Entry<String, Parameter> e : frozenParameters().entrySet()) {
            e.getValue().freeze(true);
        }
    }

    public ResNetArch arch() {
        return arch;
    }

    public NormSpec norm() {
        return norm;
    }

    /** Whether {@code forward} returns the stage outputs (C2..C5) rather than logits. */
    public boolean isFeatureExtractor() {
        return features;
    }

    /** Classes of the head (0 for a feature extractor). */
    public int numClasses() {
        return features ? 0 : numClasses;
    }

    /** Parts frozen: 0 none, 1 the stem, 1 + k the stem and the first k stages. */
    public int freezeAt() {
        return freezeAt;
    }

    /** Stride of the last stage's output relative to the input (32, 16, 8; 4 for resnet8). */
    public int outputStride() {
        return outputStride;
    }

    /** Channels of each stage's output (C2..C5: 256/512/1024/2048 for ResNet-50, 64/128/256/512 for ResNet-18). */
    public int[] featureChannels() {
        return featureChannels.clone();
    }

    /** Stride of each stage's output (4/8/16/32, or e.g. 4/8/8/8 at output stride 8). */
    public int[] featureStrides() {
        return featureStrides.clone();
    }

    /** The dilation each stage ends with (1/1/1/1 strided; 1/1/2/4 at output stride 8). */
    public int[] stageDilations() {
        return stageDilations.clone();
    }

    /** The stages {@code layer1..layerN} (SequentialBlocks of {@link ResidualBlock}s). */
    public List<SequentialBlock> stages() {
        return stages;
    }

    /** Parameters by torch-style name ({@link BlockPaths#parameters}), in state_dict order. */
    public Map<String, Parameter> namedParameters() {
        return BlockPaths.parameters(this);
    }

    /** The parameters of the frozen parts (stem, first stages) by name; none of them requires a gradient. */
    public Map<String, Parameter> frozenParameters() {
        Map<String, Parameter> out = new LinkedHashMap<>();
        for (Map.Entry<String, Parameter> e : BlockPaths.parameters(this).entrySet()) {
            if (isFrozenName(e.getKey())) {
                out.put(e.getKey(), e.getValue());
            }
        }
        return Collections.unmodifiableMap(out);
    }

    /**
     * The parameters an optimizer should update, by name: those requiring a gradient (running statistics, frozen
     * batch norms and the frozen parts excluded).
     */
    public Map<String, Parameter> trainableParameters() {
        Map<String, Parameter> out = new LinkedHashMap<>();
        for (Map.Entry<String, Parameter> e : BlockPaths.parameters(this).entrySet()) {
            if (e.getValue().requiresGradient()) {
                out.put(e.getKey(), e.getValue());
            }
        }
        return Collections.unmodifiableMap(out);
    }

    /** Whether the parameter called {@code name} lies in a frozen part. */
    public boolean isFrozenName(String name) {
        if (freezeAt <= 0) {
            return false;
        }
        if (name.startsWith("conv1.") || name.startsWith("bn1.")) {
            return true;
        }
        for (int k = 1; k < freezeAt; k++) {
            if (name.startsWith("layer" + k + ".")) {
                return true;
            }
        }
        return false;
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
            PairList<String, Object> params) {
        // Each piece runs in its own scope (ForwardScope): only its output and what autograd saved stay alive.
        NDArray input = inputs.singletonOrThrow();
        NDArray x = ForwardScope.run(input, in -> stem(ps, in, training));
        NDList maps = new NDList(stages.size());
        for (SequentialBlock stage : stages) {
            NDArray stageInput = x;
            x = ForwardScope.sequential(stage, ps, new NDList(x), training).singletonOrThrow();
            // the stem output, and without feature maps every stage output but the last, are not returned
            if (stageInput != input && stageInput != x && (maps.isEmpty() || !features)) {
                ForwardScope.closeIfOwned(stageInput);
            }
            maps.add(x);
        }
        if (features) {
            return maps;
        }
        return fc.forward(ps, new NDList(globalAveragePool(x)), training);
    }

    private NDArray stem(ParameterStore ps, NDArray x, boolean training) {
        NDArray y = conv1.forward(ps, new NDList(x), training).singletonOrThrow();
        y = Activation.relu(bn1.forward(ps, new NDList(y), training).singletonOrThrow());
        if (!arch.smallStem()) {
            // inputs are non-negative after the relu, so zero padding equals torch's -inf padding here
            y = Pool.maxPool2d(y, new Shape(3, 3), new Shape(2, 2), new Shape(1, 1), false);
        }
        return y;
    }

    private static NDArray globalAveragePool(NDArray x) {
        Shape s = x.getShape();
        return Pool.globalAvgPool2d(x).reshape(s.get(0), s.get(1));
    }

    private Shape stemOutput(Shape input) {
        Shape s = conv1.getOutputShapes(new Shape[] {input})[0];
        if (arch.smallStem()) {
            return s;
        }
        return new Shape(s.get(0), s.get(1), (s.get(2) + 2 - 3) / 2 + 1, (s.get(3) + 2 - 3) / 2 + 1);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape[] s = {stemOutput(inputShapes[0])};
        Shape[] out = new Shape[stages.size()];
        for (int i = 0; i < stages.size(); i++) {
            s = stages.get(i).getOutputShapes(s);
            out[i] = s[0];
        }
        if (features) {
            return out;
        }
        return new Shape[] {new Shape(inputShapes[0].get(0), numClasses)};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        conv1.initialize(manager, dataType, inputShapes[0]);
        bn1.initialize(manager, dataType, conv1.getOutputShapes(new Shape[] {inputShapes[0]}));
        Shape[] s = {stemOutput(inputShapes[0])};
        for (SequentialBlock stage : stages) {
            stage.initialize(manager, dataType, s);
            s = stage.getOutputShapes(s);
        }
        if (fc != null) {
            fc.initialize(manager, dataType, new Shape(s[0].get(0), s[0].get(1)));
        }
    }

    @Override
    public String toString() {
        return "ResNet(" + arch + ", norm=" + norm + ", outputStride=" + outputStride + ", freezeAt=" + freezeAt
                + (features ? ", features" : ", classes=" + numClasses) + ")";
    }

    static Linear head(int classes) {
        return Linear.builder().setUnits(classes).optBias(true).build();
    }
}
