package ai.wsbcn.detection.model;

import ai.wsbcn.norm.NormSpec;
import ai.wsbcn.util.JsonErrors;
import ai.wsbcn.util.InvalidInputException;
import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonParseException;

import java.util.Arrays;

/**
 * Everything that defines a Mask R-CNN / Faster R-CNN with FPN: backbone, norm, heads and all RPN/RoI
 * hyper-parameters, with the defaults of issue 5 (torchvision's Mask R-CNN with Detectron's FPN training values:
 * RPN pre/post-NMS top-N 2000/1000 in training and 1000/1000 in testing, 4conv1fc box head). Immutable, built by
 * {@link #builder()}, serialisable with {@link #toJson()} / {@link #fromJson(String)}.
 */
public final class DetectorConfig {

    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().create();

    // Model structure.
    private String arch = "resnet50";
    private String norm = "frozen-bn";
    private int numClasses = 80;
    private boolean masks = true;
    private int stemChannels;
    private int width;
    /** -1: automatic (2 = stem + layer1 frozen for bn/frozen-bn, 0 otherwise). */
    private int freezeAt = -1;
    private int fpnChannels = 256;
    private int representationSize = 1024;
    private int headConvs = 4;
    private int headChannels = 256;
    private int maskConvs = 4;
    private int maskChannels = 256;

    // Input transform.
    private int[] minSizes = {800};
    private int maxSize = 1333;
    private int sizeDivisibility = 32;

    // RPN.
    private float[][] anchorSizes = {{32}, {64}, {128}, {256}, {512}};
    private float[] aspectRatios = {0.5f, 1f, 2f};
    private int rpnPreNmsTopNTrain = 2000;
    private int rpnPostNmsTopNTrain = 1000;
    private int rpnPreNmsTopNTest = 1000;
    private int rpnPostNmsTopNTest = 1000;
    private float rpnNmsThresh = 0.7f;
    private float rpnFgIouThresh = 0.7f;
    private float rpnBgIouThresh = 0.3f;
    private int rpnBatchSizePerImage = 256;
    private float rpnPositiveFraction = 0.5f;
    private float rpnScoreThresh = 0f;

    // RoI heads.
    private int boxPoolSize = 7;
    private int maskPoolSize = 14;
    private int samplingRatio = 2;
    private float boxFgIouThresh = 0.5f;
    private float boxBgIouThresh = 0.5f;
    private int boxBatchSizePerImage = 512;
    private float boxPositiveFraction = 0.25f;
    private float[] boxRegWeights = {10f, 10f, 5f, 5f};
    private float boxScoreThresh = 0.05f;
    private float boxNmsThresh = 0.5f;
    private int detectionsPerImage = 100;
    private float smoothL1Beta = 1f / 9f;

    private DetectorConfig() {}

    public static Builder builder() {
        return new Builder(new DetectorConfig());
    }

    /** A builder starting from this configuration. */
    public Builder toBuilder() {
        return new Builder(fromJson(toJson()));
    }

    public String arch() {
        return arch;
    }

    public NormSpec norm() {
        return NormSpec.parse(norm);
    }

    public int numClasses() {
        return numClasses;
    }

    /** True for Mask R-CNN, false for Faster R-CNN. */
    public boolean masks() {
        return masks;
    }

    public int stemChannels() {
        return stemChannels;
    }

    public int width() {
        return width;
    }

    /** The resolved freeze-at: the configured value, or 2 for bn/frozen-bn and 0 otherwise when automatic. */
    public int freezeAt() {
        if (freezeAt >= 0) {
            return freezeAt;
        }
        NormSpec.Kind k = norm().kind();
        return k == NormSpec.Kind.BN || k == NormSpec.Kind.FROZEN_BN ? 2 : 0;
    }

    public int fpnChannels() {
        return fpnChannels;
    }

    public int representationSize() {
        return representationSize;
    }

    public int headConvs() {
        return headConvs;
    }

    public int headChannels() {
        return headChannels;
    }

    public int maskConvs() {
        return maskConvs;
    }

    public int maskChannels() {
        return maskChannels;
    }

    public int[] minSizes() {
        return minSizes.clone();
    }

    public int maxSize() {
        return maxSize;
    }

    public int sizeDivisibility() {
        return sizeDivisibility;
    }

    public float[][] anchorSizes() {
        float[][] out = new float[anchorSizes.length][];
        for (int i = 0; i < out.length; i++) {
            out[i] = anchorSizes[i].clone();
        }
        return out;
    }

    public float[] aspectRatios() {
        return aspectRatios.clone();
    }

    public int rpnPreNmsTopN(boolean training) {
        return training ? rpnPreNmsTopNTrain : rpnPreNmsTopNTest;
    }

    public int rpnPostNmsTopN(boolean training) {
        return training ? rpnPostNmsTopNTrain : rpnPostNmsTopNTest;
    }

    public float rpnNmsThresh() {
        return rpnNmsThresh;
    }

    public float rpnFgIouThresh() {
        return rpnFgIouThresh;
    }

    public float rpnBgIouThresh() {
        return rpnBgIouThresh;
    }

    public int rpnBatchSizePerImage() {
        return rpnBatchSizePerImage;
    }

    public float rpnPositiveFraction() {
        return rpnPositiveFraction;
    }

    public float rpnScoreThresh() {
        return rpnScoreThresh;
    }

    public int boxPoolSize() {
        return boxPoolSize;
    }

    public int maskPoolSize() {
        return maskPoolSize;
    }

    public int samplingRatio() {
        return samplingRatio;
    }

    public float boxFgIouThresh() {
        return boxFgIouThresh;
    }

    public float boxBgIouThresh() {
        return boxBgIouThresh;
    }

    public int boxBatchSizePerImage() {
        return boxBatchSizePerImage;
    }

    public float boxPositiveFraction() {
        return boxPositiveFraction;
    }

    public float[] boxRegWeights() {
        return boxRegWeights.clone();
    }

    public float boxScoreThresh() {
        return boxScoreThresh;
    }

    public float boxNmsThresh() {
        return boxNmsThresh;
    }

    public int detectionsPerImage() {
        return detectionsPerImage;
    }

    public float smoothL1Beta() {
        return smoothL1Beta;
    }

    public String toJson() {
        return GSON.toJson(this);
    }

    /** Parses {@link #toJson()} output; missing fields keep their defaults. */
    public static DetectorConfig fromJson(String json) {
        DetectorConfig c;
        try {
            c = GSON.fromJson(json, DetectorConfig.class);
        } catch (JsonParseException e) {
            throw new InvalidInputException("invalid detector config JSON: " + JsonErrors.describe(e), e);
        }
        if (c == null) {
            throw new InvalidInputException("empty detector config JSON");
        }
        c.validate();
        return c;
    }

    void validate() {
        try {
            NormSpec.parse(norm);
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException("detector config: " + e.getMessage(), e);
        }
        if (numClasses <= 0) {
            throw new InvalidInputException("detector config: numClasses must be positive, got " + numClasses);
        }
        if (anchorSizes.length != 5) {
            throw new InvalidInputException("detector config: anchorSizes needs one entry per level P2..P6 (5), got "
                    + anchorSizes.length);
        }
        if (boxRegWeights.length != 4) {
            throw new InvalidInputException("detector config: boxRegWeights needs 4 values, got "
                    + Arrays.toString(boxRegWeights));
        }
        if (headConvs < 0 || maskConvs < 0 || fpnChannels <= 0 || representationSize <= 0) {
            throw new InvalidInputException("detector config: head sizes must be positive");
        }
    }

    @Override
    public String toString() {
        return (masks ? "mask-rcnn" : "faster-rcnn") + " " + arch + " " + norm + " classes=" + numClasses;
    }

    /** Builder; every option has the default. */
    public static final class Builder {
        private final DetectorConfig c;

        private Builder(DetectorConfig c) {
            this.c = c;
        }

        /** Backbone architecture by torchvision name (resnet18/34/50/101, resnext50_32x4d, ...). */
        public Builder setArch(String arch) {
            c.arch = arch;
            return this;
        }

        public Builder setNorm(NormSpec norm) {
            c.norm = norm.toString();
            return this;
        }

        /** @throws ai.wsbcn.norm.InvalidNormException for a string {@link NormSpec#parse} refuses */
        public Builder setNorm(String norm) {
            c.norm = NormSpec.parse(norm).toString();
            return this;
        }

        /** Object classes without background (80 for COCO). */
        public Builder setNumClasses(int numClasses) {
            c.numClasses = numClasses;
            return this;
        }

        /** true: Mask R-CNN (default); false: Faster R-CNN. */
        public Builder optMasks(boolean masks) {
            c.masks = masks;
            return this;
        }

        /** Backbone stem channels (0 = the architecture's default), for tiny models. */
        public Builder optStemChannels(int stemChannels) {
            c.stemChannels = stemChannels;
            return this;
        }

        /** Backbone base width (0 = default), for tiny models. */
        public Builder optWidth(int width) {
            c.width = width;
            return this;
        }

        /** Backbone parts frozen (0 none, 1 stem, 2 stem + layer1, ...); -1 automatic. */
        public Builder optFreezeAt(int freezeAt) {
            c.freezeAt = freezeAt;
            return this;
        }

        public Builder optFpnChannels(int channels) {
            c.fpnChannels = channels;
            return this;
        }

        public Builder optRepresentationSize(int size) {
            c.representationSize = size;
            return this;
        }

        /** Convolutions of the box head (4 = 4conv1fc) and their channels. */
        public Builder optHeadConvs(int convs, int channels) {
            c.headConvs = convs;
            c.headChannels = channels;
            return this;
        }

        /** Convolutions of the mask head (4) and their channels (256). */
        public Builder optMaskConvs(int convs, int channels) {
            c.maskConvs = convs;
            c.maskChannels = channels;
            return this;
        }

        public Builder optMinSizes(int... sizes) {
            c.minSizes = sizes.clone();
            return this;
        }

        public Builder optMaxSize(int maxSize) {
            c.maxSize = maxSize;
            return this;
        }

        public Builder optSizeDivisibility(int d) {
            c.sizeDivisibility = d;
            return this;
        }

        /** Anchor sizes per level P2..P6 (default 32..512). */
        public Builder optAnchorSizes(float[][] sizes) {
            c.anchorSizes = sizes;
            return this;
        }

        public Builder optAspectRatios(float... ratios) {
            c.aspectRatios = ratios.clone();
            return this;
        }

        public Builder optRpnTopN(int preTrain, int postTrain, int preTest, int postTest) {
            c.rpnPreNmsTopNTrain = preTrain;
            c.rpnPostNmsTopNTrain = postTrain;
            c.rpnPreNmsTopNTest = preTest;
            c.rpnPostNmsTopNTest = postTest;
            return this;
        }

        public Builder optRpnNmsThresh(float t) {
            c.rpnNmsThresh = t;
            return this;
        }

        public Builder optRpnIou(float fg, float bg) {
            c.rpnFgIouThresh = fg;
            c.rpnBgIouThresh = bg;
            return this;
        }

        public Builder optRpnSampling(int batchSizePerImage, float positiveFraction) {
            c.rpnBatchSizePerImage = batchSizePerImage;
            c.rpnPositiveFraction = positiveFraction;
            return this;
        }

        public Builder optPooling(int boxPoolSize, int maskPoolSize, int samplingRatio) {
            c.boxPoolSize = boxPoolSize;
            c.maskPoolSize = maskPoolSize;
            c.samplingRatio = samplingRatio;
            return this;
        }

        public Builder optBoxIou(float fg, float bg) {
            c.boxFgIouThresh = fg;
            c.boxBgIouThresh = bg;
            return this;
        }

        public Builder optBoxSampling(int batchSizePerImage, float positiveFraction) {
            c.boxBatchSizePerImage = batchSizePerImage;
            c.boxPositiveFraction = positiveFraction;
            return this;
        }

        public Builder optBoxRegWeights(float wx, float wy, float ww, float wh) {
            c.boxRegWeights = new float[] {wx, wy, ww, wh};
            return this;
        }

        /** Inference: score threshold (0.05), per-class NMS (0.5), detections per image (100). */
        public Builder optInference(float scoreThresh, float nmsThresh, int detectionsPerImage) {
            c.boxScoreThresh = scoreThresh;
            c.boxNmsThresh = nmsThresh;
            c.detectionsPerImage = detectionsPerImage;
            return this;
        }

        public Builder optSmoothL1Beta(float beta) {
            c.smoothL1Beta = beta;
            return this;
        }

        public DetectorConfig build() {
            DetectorConfig out = fromJson(GSON.toJson(c));
            out.validate();
            return out;
        }
    }
}
