package ai.wsbcn.report;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A training log's averaging: the total loss and any named parts summed over the steps since the last log row,
 * written as one row of means (with seconds per step) every {@code log-every} steps; remembers the first and last
 * logged total (what a run reports as its first and last loss).
 */
public final class LossWindow {

    private final double[] sums;
    private int steps;
    private long windowStart = System.nanoTime();
    private double first = Double.NaN;
    private double last = Double.NaN;

    /** A window for the total loss and {@code namedLosses} parts. */
    public LossWindow(int namedLosses) {
        sums = new double[namedLosses + 1];
    }

    /** Adds one step's total loss and its parts (as many as the window was made for). */
    public void add(double total, double... parts) {
        if (parts.length != sums.length - 1) {
            throw new IllegalArgumentException("expected " + (sums.length - 1) + " loss parts, got " + parts.length);
        }
        sums[0] += total;
        for (int j = 0; j < parts.length; j++) {
            sums[j + 1] += parts[j];
        }
        steps++;
    }

    /** The row {step, lr, mean total, mean of each named loss, seconds per step}; starts a new window. */
    public Object[] row(long step, float lr) {
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
    public double first() {
        return first;
    }

    /** The mean total loss of the last logged window (NaN before one). */
    public double last() {
        return last;
    }
}
