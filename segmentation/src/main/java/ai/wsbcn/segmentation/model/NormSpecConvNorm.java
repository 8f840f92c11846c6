package ai.wsbcn.segmentation.model;

import ai.djl.nn.Block;
import ai.wsbcn.norm.ConvSpec;
import ai.wsbcn.norm.NormSpec;

/**
 * {@link ConvNorm} from plugin-norm's {@link NormSpec}: convolutions become {@code WsConv2d} when the spec has WS,
 * norms are BN / frozen BN / GN / BCN with PyTorch parameter names.
 */
public final class NormSpecConvNorm implements ConvNorm {

    private final NormSpec spec;

    public NormSpecConvNorm(NormSpec spec) {
        this.spec = spec;
    }

    public NormSpec spec() {
        return spec;
    }

    @Override
    public Block conv(int kernel, int filters, int stride, int dilation, boolean bias) {
        return spec.buildConv(ConvSpec.builder().setKernel(kernel).setFilters(filters).optStride(stride)
                .optPadding(dilation * (kernel - 1) / 2).optDilation(dilation).optBias(bias).build());
    }

    @Override
    public Block norm(int channels) {
        return spec.buildNorm(channels);
    }

    @Override
    public boolean usesPerChannelBatchStatistics() {
        return spec.kind() == NormSpec.Kind.BN;
    }

    @Override
    public String describe() {
        return spec.toString();
    }
}
