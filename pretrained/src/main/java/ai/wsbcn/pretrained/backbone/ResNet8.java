package ai.wsbcn.pretrained.backbone;

import ai.wsbcn.norm.NormSpec;

import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The small ResNet-8 of the pretraining protocol (issue 3): conv3x3 stem (16 channels) -> norm -> relu, three basic
 * blocks of 16/32/64 channels with strides 1/2/2 (1x1 conv + norm shortcut when the shape changes), global average
 * pool, linear. Built by {@link ResNets} with torchvision-style names ({@code conv1}, {@code bn1},
 * {@code layer1.0.conv1}, {@code layer2.0.downsample.0}, {@code fc}).
 *
 * <p>The reference checkpoint {@code shared/reference/checkpoints/resnet8_gn_ws.pth} names the same tensors
 * differently; {@link #REFERENCE_RENAMES} maps its keys onto ours, first matching rule wins:
 * <pre>
 *   stem.X       -> conv1.X                 n0.X     -> bn1.X
 *   bK.cJ.X      -> layerK.0.convJ.X        bK.nJ.X  -> layerK.0.bnJ.X
 *   bK.short.I.X -> layerK.0.downsample.I.X (fc.X unchanged)
 * </pre>
 */
public final class ResNet8 {

    /** Regex -> replacement rules from the reference checkpoint's names to ours, applied in order, first match wins. */
    public static final List<Map.Entry<String, String>> REFERENCE_RENAMES = List.of(
            Map.entry("^stem\\.", "conv1."),
            Map.entry("^n0\\.", "bn1."),
            Map.entry("^b(\\d+)\\.c(\\d+)\\.", "layer$1.0.conv$2."),
            Map.entry("^b(\\d+)\\.n(\\d+)\\.", "layer$1.0.bn$2."),
            Map.entry("^b(\\d+)\\.short\\.", "layer$1.0.downsample."));

    private static final List<Map.Entry<Pattern, String>> COMPILED = REFERENCE_RENAMES.stream()
            .map(e -> Map.entry(Pattern.compile(e.getKey()), e.getValue())).toList();

    private ResNet8() {}

    /** A resnet8 classifier for {@code classes} classes with {@code norm}. */
    public static ResNet classifier(NormSpec norm, int classes) {
        return ResNets.builder().setArch(ResNetArch.RESNET8).setNorm(norm).optNumClasses(classes).build();
    }

    /** The name of reference-checkpoint key {@code key} in our model (unchanged when no rule matches). */
    public static String renameReferenceKey(String key) {
        for (Map.Entry<Pattern, String> rule : COMPILED) {
            Matcher m = rule.getKey().matcher(key);
            if (m.find()) {
                return m.replaceFirst(rule.getValue());
            }
        }
        return key;
    }
}
