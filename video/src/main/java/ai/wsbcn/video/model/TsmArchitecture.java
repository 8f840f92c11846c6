package ai.wsbcn.video.model;

import ai.wsbcn.util.InvalidInputException;

import java.util.Arrays;
import java.util.Locale;

/**
 * The ResNet shapes the TSM network can use: torchvision's ResNet-18/50 (7x7 stem with max pooling) and small
 * CIFAR-style ResNets for 2-core demos and tests (3x3 stem, three stages of basic units).
 */
public record TsmArchitecture(String name, boolean imagenetStem, boolean bottleneck, int[] blocks, int[] widths) {

    public TsmArchitecture {
        if (blocks.length != widths.length || blocks.length == 0) {
            throw new IllegalArgumentException("blocks and widths per stage must match: " + Arrays.toString(blocks)
                    + " vs " + Arrays.toString(widths));
        }
        blocks = blocks.clone();
        widths = widths.clone();
    }

    public static final TsmArchitecture RESNET50 =
            new TsmArchitecture("resnet50", true, true, new int[] {3, 4, 6, 3}, new int[] {64, 128, 256, 512});
    public static final TsmArchitecture RESNET18 =
            new TsmArchitecture("resnet18", true, false, new int[] {2, 2, 2, 2}, new int[] {64, 128, 256, 512});
    /** The reference ResNet-8 shape (16/32/64, one basic unit per stage). */
    public static final TsmArchitecture RESNET8 =
            new TsmArchitecture("resnet8", false, false, new int[] {1, 1, 1}, new int[] {16, 32, 64});

    public static final TsmArchitecture RESNET34 =
            new TsmArchitecture("resnet34", true, false, new int[] {3, 4, 6, 3}, new int[] {64, 128, 256, 512});
    public static final TsmArchitecture RESNET101 =
            new TsmArchitecture("resnet101", true, true, new int[] {3, 4, 23, 3}, new int[] {64, 128, 256, 512});

    /**
     * {@code resnet18}, {@code resnet34}, {@code resnet50}, {@code resnet101} (torchvision's), {@code resnet8}, or
     * {@code resnet8w<W>} (ResNet-8 with widths W, 2W, 4W).
     */
    public static TsmArchitecture parse(String s) {
        String n = s.toLowerCase(Locale.ROOT).strip();
        switch (n) {
            case "resnet101":
                return RESNET101;
            case "resnet50":
                return RESNET50;
            case "resnet34":
                return RESNET34;
            case "resnet18":
                return RESNET18;
            case "resnet8":
                return RESNET8;
            default:
                if (n.startsWith("resnet8w")) {
                    try {
                        int w = Integer.parseInt(n.substring("resnet8w".length()));
                        if (w >= 4) {
                            return new TsmArchitecture(n, false, false, new int[] {1, 1, 1}, new int[] {w, 2 * w, 4 * w});
                        }
                    } catch (NumberFormatException e) {
                        // reported below
                    }
                }
                throw new InvalidInputException("unknown backbone '" + s + "' (use resnet18, resnet34, resnet50,"
                        + " resnet101, resnet8 or resnet8w<width>, e.g. resnet8w24)");
        }
    }

    public int stemWidth() {
        return imagenetStem ? 64 : widths[0];
    }

    /** Channels of the last stage's output (the classifier's input). */
    public int featureChannels() {
        return widths[widths.length - 1] * (bottleneck ? 4 : 1);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TsmArchitecture a && a.name.equals(name) && a.imagenetStem == imagenetStem
                && a.bottleneck == bottleneck && Arrays.equals(a.blocks, blocks) && Arrays.equals(a.widths, widths);
    }

    @Override
    public int hashCode() {
        return name.hashCode();
    }

    @Override
    public String toString() {
        return name;
    }
}
