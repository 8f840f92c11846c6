package ai.wsbcn.pretrained.backbone;

import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.training.initializer.UniformInitializer;
import ai.djl.training.initializer.XavierInitializer;
import ai.wsbcn.norm.BlockPaths;
import ai.wsbcn.norm.ConvSpec;
import ai.wsbcn.norm.NormSpec;
import ai.wsbcn.util.InvalidInputException;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Builds {@link ResNet}s for any {@link NormSpec}:
 *
 * <pre>{@code
 * ResNet net = ResNets.builder().setArch("resnet50").setNorm(NormSpec.parse("gn+ws"))
 *         .optOutputStride(16).optMultiGrid(1, 2, 4).optFreezeAt(2).optFeatures(true).build();
 * }</pre>
 *
 * <p>Dilation follows torchvision's {@code replace_stride_with_dilation}: output stride 16 replaces the stride of the
 * last stage, 8 those of the last two; in a dilated stage the first unit's 3x3 keeps the dilation its input had and
 * the other units use the stage's rate. Multi-grid (DeepLab v3) sets unit i of the last stage to
 * {@code rate * grid[i]}, its first unit included. Convolution weights are initialised like torchvision (Kaiming
 * normal, fan-out), the head uniformly in +-1/sqrt(fan-in), norms to weight 1 and bias 0.
 */
public final class ResNets {

    private ResNets() {}

    public static Builder builder() {
        return new Builder();
    }

    /** Options of a {@link ResNet}; {@code setArch} and {@code setNorm} are required. */
    public static final class Builder {
        ResNetArch arch;
        NormSpec norm;
        int outputStride;
        int[] multiGrid;
        int freezeAt;
        boolean features;
        int numClasses = 1000;
        int stemChannels;
        int width;

        private Builder() {}

        /** The architecture by torchvision name: {@code resnet8/18/34/50/101/152, resnext50_32x4d, ...}. */
        public Builder setArch(String name) {
            this.arch = ResNetArch.of(name);
            return this;
        }

        public Builder setArch(ResNetArch arch) {
            this.arch = Objects.requireNonNull(arch, "arch");
            return this;
        }

        /** The norm (and conv flavour: {@code +ws} makes every convolution a WsConv2d). */
        public Builder setNorm(NormSpec norm) {
            this.norm = Objects.requireNonNull(norm, "norm");
            return this;
        }

        public Builder setNorm(String norm) {
            try {
                this.norm = NormSpec.parse(norm);
            } catch (IllegalArgumentException e) {
                throw new InvalidInputException(e.getMessage(), e);
            }
            return this;
        }

        /**
         * Stride of the last stage's output: 32 (default, all strided), 16 (last stage dilated), 8 (last two), 4
         * (last three). resnet8's natural output stride is 4 and it can go to 2 or 1.
         */
        public Builder optOutputStride(int outputStride) {
            this.outputStride = outputStride;
            return this;
        }

        /** DeepLab v3 multi-grid unit rates of the last stage, e.g. (1, 2, 4); one per unit of that stage. */
        public Builder optMultiGrid(int... unitRates) {
            this.multiGrid = unitRates == null || unitRates.length == 0 ? null : unitRates.clone();
            return this;
        }

        /**
         * Freezes the first parts: 0 nothing (default), 1 the stem, 2 the stem and layer1, ..., 5 everything but the
         * head. Frozen parameters do not require gradients; batch norm ({@code bn}) there becomes frozen batch norm.
         */
        public Builder optFreezeAt(int freezeAt) {
            this.freezeAt = freezeAt;
            return this;
        }

        /** Return the stage outputs C2..C5 instead of logits (no {@code fc}). */
        public Builder optFeatures(boolean features) {
            this.features = features;
            return this;
        }

        /** Classes of the linear head (default 1000; ignored for a feature extractor). */
        public Builder optNumClasses(int numClasses) {
            this.numClasses = numClasses;
            return this;
        }

        /** Output channels of the stem (default 64; 16 for resnet8), e.g. smaller for tiny test models. */
        public Builder optStemChannels(int stemChannels) {
            this.stemChannels = stemChannels;
            return this;
        }

        /** Base width of layer1 (64; 16 for resnet8); stage k has {@code width * 2^(k-1)} planes. */
        public Builder optWidth(int width) {
            this.width = width;
            return this;
        }

        /**
         * How many of the last stages trade their stride for dilation to reach the output stride (DeepLab's
         * "atrous" backbone): 0 at the natural stride, 1 for a stride of half, and so on.
         */
        private int dilatedStages(int stemStride, int stages) {
            int natural = stemStride << (stages - 1);
            int os = outputStride == 0 ? natural : outputStride;
            int replaced = Integer.numberOfTrailingZeros(natural / Math.max(os, 1));
            if (os <= 0 || natural % os != 0 || Integer.bitCount(natural / os) != 1 || replaced > stages - 1) {
                throw new InvalidInputException("output stride " + os + " is not possible for " + arch + "; use "
                        + natural + " or " + natural + " / 2^k down to " + (natural >> (stages - 1)));
            }
            return replaced;
        }

        /** Multi-grid rates, when given, are one positive rate per unit of the last stage. */
        private void checkMultiGrid(int lastBlocks) {
            if (multiGrid == null) {
                return;
            }
            if (multiGrid.length != lastBlocks) {
                throw new InvalidInputException("multi-grid needs one rate per unit of the last stage of " + arch
                        + " (" + lastBlocks + "), got " + Arrays.toString(multiGrid));
            }
            for (int r : multiGrid) {
                if (r <= 0) {
                    throw new InvalidInputException("multi-grid rates must be positive, got "
                            + Arrays.toString(multiGrid));
                }
            }
        }

        public ResNet build() {
            if (arch == null || norm == null) {
                throw new IllegalStateException("ResNets.builder() needs setArch and setNorm");
            }
            int base = width > 0 ? width : arch.defaultWidth();
            int stemOut = stemChannels > 0 ? stemChannels : arch.defaultWidth();
            if (width < 0 || stemChannels < 0) {
                throw new InvalidInputException("width and stem channels must be positive, got width " + width
                        + ", stem channels " + stemChannels);
            }
            if (!features && numClasses <= 0) {
                throw new InvalidInputException("number of classes must be positive, got " + numClasses);
            }
            int stages = arch.stages();
            if (freezeAt < 0 || freezeAt > stages + 1) {
                throw new InvalidInputException("freeze-at must be between 0 (nothing) and " + (stages + 1)
                        + " (stem and all stages) for " + arch + ", got " + freezeAt);
            }
            int[] stageStrides = new int[stages];
            Arrays.fill(stageStrides, 2);
            stageStrides[0] = 1;
            int stemStride = arch.smallStem() ? 1 : 4;
            int replaced = dilatedStages(stemStride, stages);
            checkMultiGrid(arch.blocks()[stages - 1]);

            Block conv1 = specFor(0).buildConv(arch.smallStem()
                    ? ConvSpec.builder().setKernel(3).setFilters(stemOut).optStride(1).optPadding(1).build()
                    : ConvSpec.builder().setKernel(7).setFilters(stemOut).optStride(2).optPadding(3).build());
            Block bn1 = specFor(0).buildNorm(stemOut);

            List<SequentialBlock> layers = new ArrayList<>();
            int[] channels = new int[stages];
            int[] strides = new int[stages];
            int[] dilations = new int[stages];
            int inChannels = stemOut;
            int dilation = 1;
            int stride = stemStride;
            for (int s = 0; s < stages; s++) {
                NormSpec spec = specFor(s + 1);
                int planes = base << s;
                int unitStride = stageStrides[s];
                int previousDilation = dilation;
                if (s >= stages - replaced) {
                    dilation *= unitStride;
                    unitStride = 1;
                }
                SequentialBlock layer = new SequentialBlock();
                int n = arch.blocks()[s];
                for (int u = 0; u < n; u++) {
                    boolean grid = multiGrid != null && s == stages - 1;
                    int strided = grid ? dilation * multiGrid[u] : (u == 0 ? previousDilation : dilation);
                    int other = grid ? strided : dilation;
                    int st = u == 0 ? unitStride : 1;
                    ResidualBlock unit;
                    if (arch.bottleneck()) {
                        int innerWidth = (int) (planes * (arch.widthPerGroup() / 64.0)) * arch.groups();
                        if (innerWidth <= 0) {
                            throw new InvalidInputException(arch + " with width " + base
                                    + " has no channels in its 3x3 convolutions; use a larger width");
                        }
                        unit = new Bottleneck(spec, inChannels, planes, innerWidth, arch.groups(), st, strided);
                    } else {
                        unit = new BasicBlock(spec, inChannels, planes, st, strided, other);
                    }
                    layer.add(unit);
                    inChannels = unit.outChannels();
                }
                layers.add(layer);
                stride *= unitStride;
                channels[s] = inChannels;
                strides[s] = stride;
                dilations[s] = dilation;
            }
            Linear fc = null;
            if (!features) {
                fc = ResNet.head(numClasses);
                fc.getParameters().get("weight").setInitializer(new UniformInitializer(
                        (float) (1.0 / Math.sqrt(inChannels))));
            }
            ResNet net = new ResNet(this, conv1, bn1, layers, fc, channels, strides, dilations, stride);
            initializeLikeTorchvision(net);
            return net;
        }

        /** The norm of part {@code part} (0 the stem, k stage k): batch norm becomes frozen where frozen. */
        private NormSpec specFor(int part) {
            if (part < freezeAt && norm.kind() == NormSpec.Kind.BN) {
                return norm.frozen();
            }
            return norm;
        }

        private static void initializeLikeTorchvision(ResNet net) {
            // kaiming_normal_(mode="fan_out", nonlinearity="relu"): N(0, 2 / fan_out)
            XavierInitializer kaiming = new XavierInitializer(XavierInitializer.RandomType.GAUSSIAN,
                    XavierInitializer.FactorType.OUT, 2);
            for (Block b : BlockPaths.blocks(net).values()) {
                if (b instanceof Conv2d) {
                    Parameter w = b.getParameters().get("weight");
                    w.setInitializer(kaiming);
                }
            }
        }
    }
}
