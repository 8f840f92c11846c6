package ai.wsbcn.video.model;

import ai.djl.nn.Block;
import ai.wsbcn.norm.ConvSpec;
import ai.wsbcn.norm.NormSpec;

/** {@link ConvNorm} from plugin-norm's {@link NormSpec}: BN, frozen BN, GN, BCN, none, each optionally with WS. */
public final class NormSpecConvNorm implements ConvNorm {

    private final NormSpec spec;

    public NormSpecConvNorm(NormSpec spec) {
        this.spec = spec;
    }

    public NormSpec spec() {
        return spec;
    }

    @Override
    public Block conv(int kernel, int filters, int stride, int padding) {
        return spec.buildConv(ConvSpec.builder().setKernel(kernel).setFilters(filters).optStride(stride)
                .optPadding(padding).optBias(false).build());
    }

    @Override
    public Block norm(int channels) {
        return spec.buildNorm(channels);
    }

    @Override
    public String describe() {
        return spec.toString();
    }
}
