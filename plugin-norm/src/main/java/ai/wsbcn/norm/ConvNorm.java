package ai.wsbcn.norm;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.norm.BatchNorm;
import ai.wsbcn.util.InvalidInputException;

import java.util.Locale;
import java.util.Optional;

/**
 * How a network makes its convolutions and normalisation layers: the one seam between an architecture (DeepLabV3,
 * TSM) and the normalisation under study. {@link #of(NormSpec)} builds them from a {@link NormSpec} (a
 * {@code WsConv2d} where the spec has WS); {@link #djlBatchNorm()} is DJL's own {@code Conv2d} and
 * {@code BatchNorm}, kept as a baseline.
 */
public interface ConvNorm {

    /** The convolution described by {@code conv}. */
    Block conv(ConvSpec conv);

    /** The normalisation layer after a convolution with {@code channels} outputs. */
    Block norm(int channels);

    /**
     * Whether the norm normalises each channel with the statistics of the current batch during training (plain
     * batch norm), which is degenerate on a map with one value per channel (a pooled 1x1 map at batch 1).
     */
    boolean usesPerChannelBatchStatistics();

    /** Short name for logs and checkpoints, e.g. {@code bn} or {@code gn(32)+ws}. */
    String describe();

    /** The {@link NormSpec} behind this, if any (architectures built by plugin-norm's users need one). */
    default Optional<NormSpec> normSpec() {
        return Optional.empty();
    }

    /** A bias-free square convolution with the given padding (a norm follows it). */
    default Block conv(int kernel, int filters, int stride, int padding) {
        return conv(ConvSpec.builder().setKernel(kernel).setFilters(filters).optStride(stride).optPadding(padding)
                .build());
    }

    /** A square dilated convolution with "same" padding for odd kernels, {@code dilation * (kernel - 1) / 2}. */
    default Block dilatedConv(int kernel, int filters, int stride, int dilation, boolean bias) {
        return conv(ConvSpec.builder().setKernel(kernel).setFilters(filters).optStride(stride)
                .optPadding(dilation * (kernel - 1) / 2).optDilation(dilation).optBias(bias).build());
    }

    /** Convolutions and norms from {@code spec}. */
    static ConvNorm of(NormSpec spec) {
        return new ConvNorm() {
            @Override
            public Block conv(ConvSpec conv) {
                return spec.buildConv(conv);
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

            @Override
            public Optional<NormSpec> normSpec() {
                return Optional.of(spec);
            }
        };
    }

    /** DJL's {@code Conv2d} and {@code BatchNorm} (momentum 0.9 in DJL's convention = PyTorch's 0.1, eps 1e-5). */
    static ConvNorm djlBatchNorm() {
        return new ConvNorm() {
            @Override
            public Block conv(ConvSpec c) {
                return Conv2d.builder().setKernelShape(new Shape(c.kernel(), c.kernel())).setFilters(c.filters())
                        .optStride(new Shape(c.stride(), c.stride())).optPadding(new Shape(c.padding(), c.padding()))
                        .optDilation(new Shape(c.dilation(), c.dilation())).optGroups(c.groups()).optBias(c.bias())
                        .build();
            }

            @Override
            public Block norm(int channels) {
                return BatchNorm.builder().optMomentum(0.9f).optEpsilon(1e-5f).build();
            }

            @Override
            public boolean usesPerChannelBatchStatistics() {
                return true;
            }

            @Override
            public String describe() {
                return "djl-bn"; // the --norm value that selects it: DJL's layers, not wsbcn's bn
            }
        };
    }

    /**
     * A {@code --norm} value: any {@link NormSpec} string ({@code bn}, {@code gn(16)+ws}, {@code bcn+ws},
     * {@code frozen-bn}, {@code none}, ...) or {@code djl-bn} for {@link #djlBatchNorm()}.
     *
     * @throws InvalidInputException naming the flag and the valid values
     */
    static ConvNorm parse(String norm) {
        if (norm.strip().toLowerCase(Locale.ROOT).equals("djl-bn")) {
            return djlBatchNorm();
        }
        try {
            return of(NormSpec.parse(norm));
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException("--norm: " + e.getMessage() + "; or djl-bn", e);
        }
    }
}
