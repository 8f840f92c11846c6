package ai.wsbcn.pretrained.io;

import ai.wsbcn.pretrained.backbone.ResNetArch;
import ai.wsbcn.util.InvalidInputException;

import java.util.Arrays;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which torchvision ResNet/ResNeXt a state dict holds, from its keys and shapes: blocks per stage from the
 * {@code layerS.B.} indices, bottleneck from {@code conv3}, groups and width from {@code layer1.0.conv2.weight}.
 */
public final class ArchitectureInference {

    private static final Pattern BLOCK = Pattern.compile("(?:^|\\.)layer(\\d)\\.(\\d+)\\.");

    private ArchitectureInference() {}

    /** The architecture of {@code stateDict}; {@code source} names the file in errors. */
    public static ResNetArch infer(Map<String, TensorData> stateDict, String source) {
        int[] blocks = new int[4];
        boolean bottleneck = false;
        for (String k : stateDict.keySet()) {
            Matcher m = BLOCK.matcher(k);
            if (m.find()) {
                int stage = Integer.parseInt(m.group(1)) - 1;
                if (stage >= 0 && stage < 4) {
                    blocks[stage] = Math.max(blocks[stage], Integer.parseInt(m.group(2)) + 1);
                }
                bottleneck |= k.contains(".conv3.");
            }
        }
        TensorData conv2 = stateDict.entrySet().stream().filter(e -> e.getKey().endsWith("layer1.0.conv2.weight"))
                .map(Map.Entry::getValue).findFirst().orElse(null);
        int groups = 1;
        if (conv2 != null && bottleneck) {
            long[] s = conv2.shape();
            groups = (int) (s[0] / s[1]);
        }
        int stages = blocks[3] == 0 ? 3 : 4;
        int[] used = Arrays.copyOf(blocks, stages);
        for (ResNetArch a : ResNetArch.values()) {
            if (Arrays.equals(a.blocks(), used) && a.bottleneck() == bottleneck && a.groups() == groups
                    && (groups == 1 || conv2.shape()[0] == (long) a.groups() * a.widthPerGroup())) {
                return a;
            }
        }
        throw new InvalidInputException(source + ": the tensors are not a known ResNet/ResNeXt (blocks per stage "
                + Arrays.toString(blocks) + (bottleneck ? ", bottleneck" : "") + "); known: " + ResNetArch.names());
    }
}
