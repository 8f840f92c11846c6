package ai.wsbcn.pretrained.backbone;

import ai.wsbcn.norm.ConvSpec;
import ai.wsbcn.norm.NormSpec;

import java.util.List;

/**
 * torchvision's {@code Bottleneck} (ResNet v1.5: the stride sits on the 3x3): conv1x1 -> norm -> relu ->
 * conv3x3 (stride, dilation, groups) -> norm -> relu -> conv1x1 (x4 channels) -> norm, plus the shortcut.
 */
public final class Bottleneck extends ResidualBlock {

    public static final int EXPANSION = 4;

    /**
     * @param planes the stage's base width; the unit outputs {@code 4 * planes} channels
     * @param width channels of the inner convolutions ({@code planes * widthPerGroup / 64 * groups})
     * @param groups groups of the 3x3 convolution (ResNeXt cardinality)
     * @param dilation dilation (= padding) of the 3x3 convolution
     */
    public Bottleneck(NormSpec norm, int inChannels, int planes, int width, int groups, int stride, int dilation) {
        super(norm, List.of(
                ConvSpec.builder().setKernel(1).setFilters(width).build(),
                ConvSpec.builder().setKernel(3).setFilters(width).optStride(stride).optPadding(dilation)
                        .optDilation(dilation).optGroups(groups).build(),
                ConvSpec.builder().setKernel(1).setFilters(planes * EXPANSION).build()),
                inChannels, stride);
    }
}
