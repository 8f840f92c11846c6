package ai.wsbcn.pretrained.backbone;

import ai.wsbcn.norm.ConvSpec;
import ai.wsbcn.norm.NormSpec;

import java.util.List;

/**
 * torchvision's {@code BasicBlock}: conv3x3 (stride) -> norm -> relu -> conv3x3 -> norm, plus the shortcut.
 *
 * <p>torchvision refuses dilation in basic blocks; here, when a stage's stride is replaced by dilation, {@code conv1}
 * gets the dilation the strided unit's input had (as torchvision's bottleneck does for its strided conv) and
 * {@code conv2} the stage's dilation, which keeps every receptive field of the strided network.
 */
public final class BasicBlock extends ResidualBlock {

    /**
     * @param planes output channels of both convolutions
     * @param dilation1 dilation (= padding) of conv1, the strided one
     * @param dilation2 dilation (= padding) of conv2
     */
    public BasicBlock(NormSpec norm, int inChannels, int planes, int stride, int dilation1, int dilation2) {
        super(norm, List.of(
                ConvSpec.builder().setKernel(3).setFilters(planes).optStride(stride).optPadding(dilation1)
                        .optDilation(dilation1).build(),
                ConvSpec.builder().setKernel(3).setFilters(planes).optPadding(dilation2).optDilation(dilation2)
                        .build()),
                inChannels, stride);
    }
}
