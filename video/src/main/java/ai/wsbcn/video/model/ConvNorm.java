package ai.wsbcn.video.model;

import ai.djl.nn.Block;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.ndarray.types.Shape;

/**
 * How the network makes its convolutions and normalisation layers: the one seam between the TSM architecture and the
 * normalisation under study. {@link NormSpecConvNorm} adapts plugin-norm's {@code NormSpec} (BN, GN, BCN, +WS);
 * {@link #batchNorm()} is DJL's own conv + batch norm.
 */
public interface ConvNorm {

    /** A bias-free square convolution (a norm follows it). */
    Block conv(int kernel, int filters, int stride, int padding);

    /** The normalisation layer after a convolution with {@code channels} outputs. */
    Block norm(int channels);

    /** Short name for logs and checkpoints, e.g. {@code bn} or {@code gn(32)+ws}. */
    String describe();

    /** DJL's {@code Conv2d} and {@code BatchNorm} (momentum 0.9 in DJL's convention = PyTorch's 0.1). */
    static ConvNorm batchNorm() {
        return new ConvNorm() {
            @Override
            public Block conv(int kernel, int filters, int stride, int padding) {
                return Conv2d.builder().setKernelShape(new Shape(kernel, kernel)).setFilters(filters)
                        .optStride(new Shape(stride, stride)).optPadding(new Shape(padding, padding)).optBias(false)
                        .build();
            }

            @Override
            public Block norm(int channels) {
                return BatchNorm.builder().optMomentum(0.9f).optEpsilon(1e-5f).build();
            }

            @Override
            public String describe() {
                return "bn";
            }
        };
    }
}
