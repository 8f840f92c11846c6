package ai.wsbcn.detection.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import ai.wsbcn.detection.model.neck.FeaturePyramidNetwork;
import ai.wsbcn.detection.model.roi.RoiHeads;
import ai.wsbcn.detection.model.rpn.RegionProposalNetwork;
import ai.wsbcn.detection.transforms.DetectionTransform;
import ai.wsbcn.detection.transforms.ImageBatch;
import ai.wsbcn.detection.transforms.TargetInstances;
import ai.wsbcn.norm.BlockPaths;
import ai.wsbcn.util.ForwardScope;
import ai.wsbcn.pretrained.backbone.ResNet;
import ai.wsbcn.pretrained.backbone.ResNetArch;
import ai.wsbcn.pretrained.backbone.ResNets;
import ai.wsbcn.util.ImageInputs;
import ai.wsbcn.util.InvalidInputException;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Mask R-CNN (or Faster R-CNN with {@code masks=false}) with a ResNet-FPN backbone, assembled like torchvision's
 * {@code MaskRCNN}: {@code backbone} ({@code body} + {@code fpn}), {@code rpn} and {@code roi_heads}, with
 * torchvision's parameter names so that state dicts map one to one (see {@link #namedParameters()}).
 *
 * <p>{@link #losses} is the training forward (call it inside {@code MicroBatchTrainer.step}, which opens the
 * gradient collector); {@link #detect} the inference forward. The input transform is not part of the block: build
 * the {@link ImageBatch} with {@link #transform()} (or any {@link DetectionTransform}).
 */
public final class MaskRcnn extends AbstractBlock {

    private static final byte VERSION = 1;

    private final DetectorConfig config;
    private final BackboneWithFpn backbone;
    private final RegionProposalNetwork rpn;
    private final RoiHeads roiHeads;

    private MaskRcnn(DetectorConfig config, BackboneWithFpn backbone) {
        super(VERSION);
        this.config = config;
        this.backbone = addChildBlock("backbone", backbone);
        this.rpn = addChildBlock("rpn", new RegionProposalNetwork(config, config.fpnChannels()));
        this.roiHeads = addChildBlock("roi_heads", new RoiHeads(config, config.fpnChannels()));
    }

    /** Builds the (uninitialised) model; the backbone's weights are torchvision-initialised random weights. */
    public static MaskRcnn build(DetectorConfig config) {
        ResNetArch arch;
        try {
            arch = ResNetArch.of(config.arch());
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException("unknown backbone '" + config.arch() + "': " + e.getMessage(), e);
        }
        if (arch.stages() != 4 || arch.smallStem()) {
            throw new InvalidInputException("backbone " + arch + " has no C2..C5 at strides 4..32; use a 4-stage"
                    + " ResNet such as resnet18/34/50/101 or resnext50_32x4d (tiny: resnet18 with small width)");
        }
        ResNets.Builder b = ResNets.builder().setArch(arch).setNorm(config.norm()).optFeatures(true)
                .optFreezeAt(config.freezeAt());
        if (config.stemChannels() > 0) {
            b.optStemChannels(config.stemChannels());
        }
        if (config.width() > 0) {
            b.optWidth(config.width());
        }
        ResNet body = b.build();
        FeaturePyramidNetwork fpn = new FeaturePyramidNetwork(config.norm(), body.featureChannels(),
                config.fpnChannels());
        return new MaskRcnn(config, new BackboneWithFpn(body, fpn));
    }

    public DetectorConfig config() {
        return config;
    }

    public BackboneWithFpn backbone() {
        return backbone;
    }

    public RegionProposalNetwork rpn() {
        return rpn;
    }

    public RoiHeads roiHeads() {
        return roiHeads;
    }

    /** The input transform of the config (min/max size, divisibility; flip probability 0.5 in training). */
    public DetectionTransform transform() {
        return DetectionTransform.builder().optMinSize(config.minSizes()).optMaxSize(config.maxSize())
                .optSizeDivisibility(config.sizeDivisibility()).build();
    }

    /** Every parameter by torchvision name ({@code backbone.body.conv1.weight}, {@code rpn.head.cls_logits.bias}..). */
    public Map<String, Parameter> namedParameters() {
        return BlockPaths.parameters(this);
    }

    /** The parameters an optimizer updates (those requiring gradients), by name. */
    public Map<String, Parameter> trainableParameters() {
        Map<String, Parameter> out = new LinkedHashMap<>();
        namedParameters().forEach((k, p) -> {
            if (p.requiresGradient()) {
                out.put(k, p);
            }
        });
        return out;
    }

    /** DJL initialisation for (1, 3, height, width) inputs (height and width multiples of 32). */
    public void initialize(NDManager manager, int height, int width) {
        initialize(manager, DataType.FLOAT32, new Shape(1, 3, height, width));
    }

    /**
     * Training forward: the named scalar losses {@code loss_objectness}, {@code loss_rpn_box_reg},
     * {@code loss_classifier}, {@code loss_box_reg} and, for Mask R-CNN, {@code loss_mask}. {@code targets} are in
     * the resized frame (as returned by {@link DetectionTransform#batch}); {@code random} drives the samplers.
     */
    public Map<String, NDArray> losses(ParameterStore ps, ImageBatch batch, List<TargetInstances> targets,
            Random random) {
        checkInitialized();
        checkTargets(batch, targets);
        NDList features = backbone.forward(ps, new NDList(batch.images()), true);
        RegionProposalNetwork.Output proposals = rpn.forward(ps, features, batch.paddedHeight(),
                batch.paddedWidth(), heights(batch), widths(batch), targets, true, random);
        Map<String, NDArray> losses = new LinkedHashMap<>(proposals.losses());
        losses.putAll(roiHeads.losses(ps, pyramidForRoi(features), proposals.proposals(), targets, random));
        release(features);
        return losses;
    }

    /** The sum of {@link #losses} (what the optimizer minimises). */
    public static NDArray total(Map<String, NDArray> losses) {
        NDArray sum = null;
        for (NDArray l : losses.values()) {
            sum = sum == null ? l : sum.add(l);
        }
        return sum;
    }

    /**
     * Inference forward: per image, detections in the RESIZED image's pixels (see {@link Postprocess}). The results
     * are host arrays, and the forward leaves nothing in the parameters' manager: what the layers derive from their
     * parameters (standardised weights, frozen-BN scales) lives in the manager of {@code batch}'s images
     * ({@code CallArrays}). Not tested for concurrent calls on one model; use one model per thread.
     */
    public List<Detections> detect(ParameterStore ps, ImageBatch batch) {
        checkInitialized();
        NDList features = backbone.forward(ps, new NDList(batch.images()), false);
        RegionProposalNetwork.Output proposals = rpn.forward(ps, features, batch.paddedHeight(),
                batch.paddedWidth(), heights(batch), widths(batch), null, false, null);
        List<Detections> out = roiHeads.detect(ps, pyramidForRoi(features), proposals.proposals(),
                heights(batch), widths(batch));
        release(features);
        return out;
    }

    private void checkInitialized() {
        if (!isInitialized()) {
            throw new IllegalStateException("MaskRcnn is not initialised: call initialize(manager, height, width)"
                    + " (before loading a checkpoint into it)");
        }
    }

    /**
     * What torchvision's {@code GeneralizedRCNN} checks (boxes of positive width and height) plus what would otherwise
     * fail deep inside, or train silently on nonsense: one target per image, labels in 1..K (0 is the background).
     */
    private void checkTargets(ImageBatch batch, List<TargetInstances> targets) {
        if (targets == null || targets.size() != batch.size()) {
            throw new IllegalArgumentException("training needs one TargetInstances per image, got "
                    + (targets == null ? "null" : targets.size()) + " for " + batch.size() + " images");
        }
        for (int i = 0; i < targets.size(); i++) {
            TargetInstances t = targets.get(i);
            String image = "image " + batch.imageId(i);
            if (t == null) {
                throw new IllegalArgumentException(image + ": training needs its targets, got null");
            }
            for (int k = 0; k < t.size(); k++) {
                int label = t.labels()[k];
                if (label < 1 || label > config.numClasses()) {
                    throw new IllegalArgumentException(image + ", instance " + k + ": label " + label
                            + " is outside 1.." + config.numClasses() + " (0 is the background)");
                }
                float[] b = t.boxes();
                float x1 = b[4 * k];
                float y1 = b[4 * k + 1];
                float x2 = b[4 * k + 2];
                float y2 = b[4 * k + 3];
                if (!(Float.isFinite(x1) && Float.isFinite(y1) && x2 > x1 && y2 > y1 && Float.isFinite(x2)
                        && Float.isFinite(y2))) {
                    throw new IllegalArgumentException(image + ", instance " + k + ": box [" + x1 + ", " + y1 + ", "
                            + x2 + ", " + y2 + "] needs finite x1 < x2 and y1 < y2 (x1, y1, x2, y2 in pixels)");
                }
            }
        }
    }

    /** The feature pyramid is not returned: closing its handles lets autograd free each level once used. */
    private static void release(NDList features) {
        for (NDArray a : features) {
            ForwardScope.closeIfOwned(a);
        }
    }

    /** P2..P5 (torchvision's MultiScaleRoIAlign reads feature maps '0'..'3', not 'pool'). */
    private static NDList pyramidForRoi(NDList features) {
        return new NDList(features.subList(0, features.size() - 1));
    }

    private static int[] heights(ImageBatch b) {
        int[] out = new int[b.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = b.height(i);
        }
        return out;
    }

    private static int[] widths(ImageBatch b) {
        int[] out = new int[b.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = b.width(i);
        }
        return out;
    }

    /** The block forward returns the feature pyramid P2..P6 of an image batch (N, 3, H, W). */
    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
            PairList<String, Object> params) {
        ImageInputs.requireBatch("MaskRcnn", inputs);
        return backbone.forward(ps, inputs, training);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return backbone.getOutputShapes(inputShapes);
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        backbone.initialize(manager, dataType, inputShapes);
        Shape[] pyramid = backbone.getOutputShapes(inputShapes);
        rpn.initialize(manager, dataType, pyramid);
        roiHeads.initialize(manager, dataType, pyramid);
    }
}
