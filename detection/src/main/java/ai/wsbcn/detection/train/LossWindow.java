package ai.wsbcn.detection.train;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The training log's averaging: the total loss and each named loss summed over the steps since the last log row,
 * written as one row of means (with seconds per step) every {@code log-every} steps; remembers the first and last
 * logged total.
 */
final class LossWindow {

    private final double[] sums;
    private int steps;
    private long windowStart = System.nanoTime();
    private double first = Double.NaN;
    private double last = Double.NaN;

    LossWindow(int namedLosses) {
        sums = new double[namedLosses + 1];
    }

    void add(double total, double[] parts) {
        sums[0] += total;
        for (int j = 0; j < parts.length; j++) {
            sums[j + 1] += parts[j];
        }
        steps++;
    }

    /** The row {step, lr, mean total, mean of each named loss, seconds per step}; starts a new window. */
    Object[] row(int step, float lr) {
        long now = System.nanoTime();
        List<Object> row = new ArrayList<>();
        row.add(step);
        row.add(lr);
        for (double s : sums) {
            row.add(s / steps);
        }
        row.add((now - windowStart) / 1e9 / steps);
        if (Double.isNaN(first)) {
            first = sums[0] / steps;
        }
        last = sums[0] / steps;
        Arrays.fill(sums, 0);
        steps = 0;
        windowStart = now;
        return row.toArray();
    }

    /** The mean total loss of the first logged window (NaN before one). */
    double first() {
        return first;
    }

    /** The mean total loss of the last logged window (NaN before one). */
    double last() {
        return last;
    }
}
