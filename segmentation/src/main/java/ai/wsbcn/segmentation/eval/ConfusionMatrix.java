package ai.wsbcn.segmentation.eval;

import ai.wsbcn.segmentation.data.LabelMap;
import ai.wsbcn.util.InvalidInputException;

import java.util.Locale;

/**
 * The pixel confusion matrix of a segmentation: {@code count[gt][pred]} over every pixel whose ground truth is not
 * 255. Not thread-safe; give each worker its own matrix and {@link #merge} them.
 */
public final class ConfusionMatrix {

    private final int numClasses;
    private final long[] counts;

    public ConfusionMatrix(int numClasses) {
        if (numClasses < 1 || numClasses > 255) {
            throw new IllegalArgumentException("numClasses must be 1..255, got " + numClasses);
        }
        this.numClasses = numClasses;
        this.counts = new long[numClasses * numClasses];
    }

    public int numClasses() {
        return numClasses;
    }

    /** Pixels with ground truth {@code gt} predicted as {@code pred}. */
    public long count(int gt, int pred) {
        return counts[gt * numClasses + pred];
    }

    /**
     * Adds one image. {@code gtName} and {@code predName} name the two maps in error messages: sizes must agree,
     * ground truth must be a class index or 255, and the prediction a class index wherever the ground truth counts.
     */
    public void add(LabelMap gt, LabelMap pred, String gtName, String predName) {
        if (gt.width() != pred.width() || gt.height() != pred.height()) {
            throw new InvalidInputException(String.format(Locale.ROOT, "%s: prediction is %dx%d but the ground truth"
                    + " %s is %dx%d (width x height)", predName, pred.width(), pred.height(), gtName, gt.width(),
                    gt.height()));
        }
        byte[] g = gt.labels();
        byte[] p = pred.labels();
        int n = numClasses;
        long[] c = counts;
        for (int i = 0; i < g.length; i++) {
            int gv = g[i] & 0xff;
            if (gv == LabelMap.IGNORE) {
                continue;
            }
            int pv = p[i] & 0xff;
            if (gv >= n || pv >= n) {
                throw badValue(gt, pred, gtName, predName, i);
            }
            c[gv * n + pv]++;
        }
    }

    private InvalidInputException badValue(LabelMap gt, LabelMap pred, String gtName, String predName, int i) {
        int x = i % gt.width();
        int y = i / gt.width();
        int gv = gt.labels()[i] & 0xff;
        if (gv >= numClasses) {
            return new InvalidInputException(String.format(Locale.ROOT, "%s: pixel (x=%d, y=%d) has ground-truth"
                    + " label %d; expected 0..%d or 255 (check --num-classes)", gtName, x, y, gv, numClasses - 1));
        }
        return new InvalidInputException(String.format(Locale.ROOT, "%s: pixel (x=%d, y=%d) has predicted label %d;"
                + " expected 0..%d (check --num-classes)", predName, x, y, pred.labels()[i] & 0xff, numClasses - 1));
    }

    /** Adds another matrix's counts to this one. */
    public void merge(ConfusionMatrix other) {
        if (other.numClasses != numClasses) {
            throw new IllegalArgumentException("cannot merge " + other.numClasses + " classes into " + numClasses);
        }
        for (int i = 0; i < counts.length; i++) {
            counts[i] += other.counts[i];
        }
    }

    /** Per-class IoU, mIoU and pixel accuracy of the counts so far. */
    public SegmentationMetrics metrics() {
        return SegmentationMetrics.of(this);
    }
}
