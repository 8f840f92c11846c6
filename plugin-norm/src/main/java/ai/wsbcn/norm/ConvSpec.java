package ai.wsbcn.norm;

/**
 * The configuration of a square-kernel 2-D convolution, independent of whether it will be standardised; a
 * {@link NormSpec} turns it into a {@code Conv2d} or a {@link WsConv2d}.
 */
public final class ConvSpec {

    private final int kernel;
    private final int filters;
    private final int stride;
    private final int padding;
    private final int dilation;
    private final int groups;
    private final boolean bias;

    private ConvSpec(Builder b) {
        kernel = b.kernel;
        filters = b.filters;
        stride = b.stride;
        padding = b.padding;
        dilation = b.dilation;
        groups = b.groups;
        bias = b.bias;
    }

    public static Builder builder() {
        return new Builder();
    }

    public int kernel() {
        return kernel;
    }

    public int filters() {
        return filters;
    }

    public int stride() {
        return stride;
    }

    public int padding() {
        return padding;
    }

    public int dilation() {
        return dilation;
    }

    public int groups() {
        return groups;
    }

    public boolean bias() {
        return bias;
    }

    @Override
    public String toString() {
        return "conv" + kernel + "x" + kernel + "(" + filters + ", stride " + stride + ", pad " + padding
                + ", dil " + dilation + ", groups " + groups + (bias ? ", bias" : "") + ")";
    }

    /** Builds a {@link ConvSpec}: stride 1, padding 0, dilation 1, groups 1, no bias unless set. */
    public static final class Builder {
        private int kernel = -1;
        private int filters = -1;
        private int stride = 1;
        private int padding;
        private int dilation = 1;
        private int groups = 1;
        private boolean bias;

        private Builder() {}

        public Builder setKernel(int kernel) {
            this.kernel = kernel;
            return this;
        }

        public Builder setFilters(int filters) {
            this.filters = filters;
            return this;
        }

        public Builder optStride(int stride) {
            this.stride = stride;
            return this;
        }

        public Builder optPadding(int padding) {
            this.padding = padding;
            return this;
        }

        public Builder optDilation(int dilation) {
            this.dilation = dilation;
            return this;
        }

        public Builder optGroups(int groups) {
            this.groups = groups;
            return this;
        }

        public Builder optBias(boolean bias) {
            this.bias = bias;
            return this;
        }

        public ConvSpec build() {
            if (kernel <= 0 || filters <= 0 || stride <= 0 || dilation <= 0 || groups <= 0 || padding < 0) {
                throw new IllegalArgumentException("invalid convolution: kernel " + kernel + ", filters " + filters
                        + ", stride " + stride + ", padding " + padding + ", dilation " + dilation + ", groups "
                        + groups);
            }
            return new ConvSpec(this);
        }
    }
}
