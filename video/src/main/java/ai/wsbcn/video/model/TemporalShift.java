package ai.wsbcn.video.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * The Temporal Shift Module's shift (Lin et al., TSM): on an input of {@code N*T} frames {@code (N*T, C, H, W)} whose
 * {@code T = nSegment} frames of one clip are contiguous, channels {@code [0, fold)} of frame {@code t} take frame
 * {@code t + 1}'s values, channels {@code [fold, 2 fold)} take frame {@code t - 1}'s, the rest stay; frames shifted in
 * from beyond the clip's ends are zeros ({@code fold = C / foldDiv}). It has no parameters; its gradient is the opposite
 * shift, which autograd derives from the slices and concatenations used here.
 */
public final class TemporalShift extends AbstractBlock {

    private static final byte VERSION = 1;

    private final int nSegment;
    private final int foldDiv;

    private TemporalShift(Builder b) {
        super(VERSION);
        this.nSegment = b.nSegment;
        this.foldDiv = b.foldDiv;
    }

    public static Builder builder() {
        return new Builder();
    }

    public int nSegment() {
        return nSegment;
    }

    public int foldDiv() {
        return foldDiv;
    }

    /**
     * Shifts {@code x} of shape {@code (N*T, C, H, W)}; the functional form of this block. Two formulations with the
     * same result, picked per engine by measured speed (forward + backward on 8x256x56x56, 2 cores): PyTorch is
     * fastest splitting the channels once ({@link #shiftBySplit}: 25 ms vs 50 ms), MXNet slicing each group
     * directly ({@link #shiftBySlices}: 140 ms vs 230 ms).
     */
    public static NDArray shift(NDArray x, int nSegment, int foldDiv) {
        if ("PyTorch".equals(x.getManager().getEngine().getEngineName())) {
            return shiftBySplit(x, nSegment, foldDiv);
        }
        return shiftBySlices(x, nSegment, foldDiv);
    }

    /** The shift from three slices of the 5-D view (one per channel group). */
    static NDArray shiftBySlices(NDArray x, int nSegment, int foldDiv) {
        Shape s = checkShape(x, nSegment);
        long n = s.get(0) / nSegment;
        long c = s.get(1);
        long h = s.get(2);
        long w = s.get(3);
        long fold = c / foldDiv;
        if (fold == 0) {
            return x; // fewer channels than fold_div: nothing moves (as in the reference code)
        }
        NDArray x5 = x.reshape(n, nSegment, c, h, w);
        NDArray zeros = x.getManager().zeros(new Shape(n, 1, fold, h, w), x.getDataType(), x.getDevice());
        NDList parts = new NDList();
        if (nSegment == 1) {
            // a one-frame clip: both shifted groups come from beyond the clip's ends
            parts.add(zeros);
            parts.add(zeros);
        } else {
            // channels [0, fold): frame t takes t + 1, the last frame gets zeros
            parts.add(x5.get(new NDIndex(":, 1:, :{}", fold)).concat(zeros, 1));
            // channels [fold, 2 fold): frame t takes t - 1, the first frame gets zeros
            parts.add(zeros.concat(x5.get(new NDIndex(":, :-1, {}:{}", fold, 2 * fold)), 1));
        }
        if (2 * fold < c) {
            parts.add(x5.get(new NDIndex(":, :, {}:", 2 * fold)));
        }
        return NDArrays.concat(parts, 2).reshape(s);
    }

    /**
     * The shift from one channel split, then time slices of the two small groups only: the backward pass builds
     * full-size gradient buffers only for the split and the final concatenation, not for every slice.
     */
    static NDArray shiftBySplit(NDArray x, int nSegment, int foldDiv) {
        Shape s = checkShape(x, nSegment);
        long n = s.get(0) / nSegment;
        long c = s.get(1);
        long h = s.get(2);
        long w = s.get(3);
        long fold = c / foldDiv;
        if (fold == 0) {
            return x;
        }
        NDArray x5 = x.reshape(n, nSegment, c, h, w);
        NDArray zeros = x.getManager().zeros(new Shape(n, 1, fold, h, w), x.getDataType(), x.getDevice());
        NDList groups = 2 * fold < c ? x5.split(new long[] {fold, 2 * fold}, 2) : x5.split(new long[] {fold}, 2);
        NDList parts = new NDList();
        if (nSegment == 1) {
            parts.add(zeros);
            parts.add(zeros);
        } else {
            parts.add(groups.get(0).get(new NDIndex(":, 1:")).concat(zeros, 1));
            parts.add(zeros.concat(groups.get(1).get(new NDIndex(":, :-1")), 1));
        }
        if (2 * fold < c) {
            parts.add(groups.get(2));
        }
        return NDArrays.concat(parts, 2).reshape(s);
    }

    private static Shape checkShape(NDArray x, int nSegment) {
        Shape s = x.getShape();
        if (s.dimension() != 4 || s.get(0) % nSegment != 0) {
            throw new IllegalArgumentException("temporal shift needs (N*T, C, H, W) with N*T a multiple of T = "
                    + nSegment + ", got " + s);
        }
        return s;
    }

    @Override
    protected NDList forwardInternal(ParameterStore parameterStore, NDList inputs, boolean training,
            PairList<String, Object> params) {
        return new NDList(shift(inputs.singletonOrThrow(), nSegment, foldDiv));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }

    @Override
    public String toString() {
        return "TemporalShift(n_segment=" + nSegment + ", fold_div=" + foldDiv + ")";
    }

    /** Builds a {@link TemporalShift}; defaults are the paper's 8 segments and 1/8 + 1/8 shifted channels. */
    public static final class Builder {
        private int nSegment = 8;
        private int foldDiv = 8;

        private Builder() {}

        /** Frames per clip {@code T} (default 8). */
        public Builder optNSegment(int nSegment) {
            if (nSegment < 1) {
                throw new IllegalArgumentException("n_segment must be >= 1, got " + nSegment);
            }
            this.nSegment = nSegment;
            return this;
        }

        /** {@code 1/foldDiv} of the channels move each way (default 8). */
        public Builder optFoldDiv(int foldDiv) {
            if (foldDiv < 2) {
                throw new IllegalArgumentException("fold_div must be >= 2, got " + foldDiv);
            }
            this.foldDiv = foldDiv;
            return this;
        }

        public TemporalShift build() {
            return new TemporalShift(this);
        }
    }
}
