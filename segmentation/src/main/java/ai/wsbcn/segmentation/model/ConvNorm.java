package ai.wsbcn.segmentation.model;

import ai.djl.nn.Block;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.ndarray.types.Shape;

/**
 * How the network makes its convolutions and normalisation layers: the one seam between DeepLabV3 and the
 * normalisation under study. {@link #djlBatchNorm()} is DJL's conv + batch norm; {@code NormSpecConvNorm} adapts
 * plugin-norm's {@code NormSpec} (BN, GN, BCN, each optionally with WS) once that module provides it.
 */
public interface ConvNorm {

    /** A square convolution with "same" padding for odd kernels ({@code dilation * (kernel - 1) / 2}). */
    Block conv(int kernel, int filters, int stride, int dilation, boolean bias);

    /** The normalisation layer after a convolution with {@code channels} outputs. */
    Block norm(int channels);

    /**
     * Whether the norm normalises each channel with the statistics of the current batch during training (plain
     * batch norm). Such a norm is degenerate on a map with a single value per channel (the ASPP image-pooling branch
     * at batch 1): see {@link ImagePooling}.
     */
    boolean usesPerChannelBatchStatistics();

    /** Short name for logs and checkpoints, e.g. {@code bn} or {@code bcn+ws}. */
    String describe();

    /** DJL's {@code Conv2d} and {@code BatchNorm} (momentum 0.9 in DJL's convention = PyTorch's 0.1, eps 1e-5). */
    static ConvNorm djlBatchNorm() {
        return new ConvNorm() {
            @Override
            public Block conv(int kernel, int filters, int stride, int dilation, boolean bias) {
                int pad = dilation * (kernel - 1) / 2;
                return Conv2d.builder().setKernelShape(new Shape(kernel, kernel)).setFilters(filters)
                        .optStride(new Shape(stride, stride)).optPadding(new Shape(pad, pad))
                        .optDilation(new Shape(dilation, dilation)).optBias(bias).build();
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
                return "bn";
            }
        };
    }
}
