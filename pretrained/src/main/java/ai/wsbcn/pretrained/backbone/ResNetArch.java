package ai.wsbcn.pretrained.backbone;

import ai.wsbcn.util.InvalidInputException;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The ResNet/ResNeXt depths and widths, as torchvision defines them ({@code torchvision.models.resnet}), plus the
 * small {@code resnet8} of the pretraining protocol (3x3 stem without max pool, one basic block per stage).
 */
public enum ResNetArch {
    RESNET8("resnet8", false, new int[] {1, 1, 1}, 1, 64, true),
    RESNET18("resnet18", false, new int[] {2, 2, 2, 2}, 1, 64, false),
    RESNET34("resnet34", false, new int[] {3, 4, 6, 3}, 1, 64, false),
    RESNET50("resnet50", true, new int[] {3, 4, 6, 3}, 1, 64, false),
    RESNET101("resnet101", true, new int[] {3, 4, 23, 3}, 1, 64, false),
    RESNET152("resnet152", true, new int[] {3, 8, 36, 3}, 1, 64, false),
    RESNEXT50_32X4D("resnext50_32x4d", true, new int[] {3, 4, 6, 3}, 32, 4, false),
    RESNEXT101_32X4D("resnext101_32x4d", true, new int[] {3, 4, 23, 3}, 32, 4, false),
    RESNEXT101_32X8D("resnext101_32x8d", true, new int[] {3, 4, 23, 3}, 32, 8, false);

    private final String id;
    private final boolean bottleneck;
    private final int[] blocks;
    private final int groups;
    private final int widthPerGroup;
    private final boolean small;

    ResNetArch(String id, boolean bottleneck, int[] blocks, int groups, int widthPerGroup, boolean small) {
        this.id = id;
        this.bottleneck = bottleneck;
        this.blocks = blocks;
        this.groups = groups;
        this.widthPerGroup = widthPerGroup;
        this.small = small;
    }

    /** The name users type ({@code --arch resnet50}), torchvision's function name. */
    public String id() {
        return id;
    }

    /** Bottleneck blocks (1x1, 3x3, 1x1; expansion 4) rather than basic blocks (3x3, 3x3; expansion 1). */
    public boolean bottleneck() {
        return bottleneck;
    }

    public int expansion() {
        return bottleneck ? 4 : 1;
    }

    /** Blocks per stage (4 stages, 3 for resnet8). */
    public int[] blocks() {
        return blocks.clone();
    }

    public int stages() {
        return blocks.length;
    }

    /** Groups of the 3x3 convolution (the ResNeXt cardinality; 1 for ResNets). */
    public int groups() {
        return groups;
    }

    /** torchvision's {@code width_per_group} (64 for ResNets, 4 or 8 for ResNeXts). */
    public int widthPerGroup() {
        return widthPerGroup;
    }

    /**
     * The small-input layout (resnet8): a 3x3 stride-1 stem without max pool and stage strides 1/2/2, instead of the
     * ImageNet 7x7 stride-2 stem with a stride-2 max pool and stage strides 1/2/2/2.
     */
    public boolean smallStem() {
        return small;
    }

    /** Default stem output channels and stage-1 width (64; 16 for resnet8). */
    public int defaultWidth() {
        return small ? 16 : 64;
    }

    /**
     * The architecture called {@code name} (case-insensitive, as torchvision spells it).
     *
     * @throws InvalidInputException listing the known names
     */
    public static ResNetArch of(String name) {
        String n = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
        for (ResNetArch a : values()) {
            if (a.id.equals(n)) {
                return a;
            }
        }
        throw new InvalidInputException("unknown architecture '" + name + "'; known: " + names());
    }

    /** The known names, comma-separated, for help texts and errors. */
    public static String names() {
        return Arrays.stream(values()).map(ResNetArch::id).collect(Collectors.joining(", "));
    }

    @Override
    public String toString() {
        return id;
    }
}
