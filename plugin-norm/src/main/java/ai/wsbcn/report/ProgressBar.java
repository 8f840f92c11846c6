package ai.wsbcn.report;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A one-line progress bar for training loops: {@code [=====>    ] 120/900 13% 2.1 it/s ETA 06:11 loss 0.83 lr 0.02}.
 * Redraws in place on a terminal; when the output is not a terminal (a CI log) it prints a plain line every
 * {@code printEvery} steps instead, so logs stay readable.
 */
public final class ProgressBar {

    private static final int WIDTH = 30;

    private final String title;
    private final long total;
    private final PrintStream out;
    private final boolean interactive;
    private final long printEvery;
    private final long startNanos = System.nanoTime();
    private final Map<String, String> fields = new LinkedHashMap<>();
    private long done;
    private long startedAt;

    public ProgressBar(String title, long total) {
        this(title, total, System.err, System.console() != null, Math.max(1, total / 20));
    }

    public ProgressBar(String title, long total, PrintStream out, boolean interactive, long printEvery) {
        this.title = title;
        this.total = total;
        this.out = out;
        this.interactive = interactive;
        this.printEvery = Math.max(1, printEvery);
    }

    /** Starts counting from {@code step} (after a resume), so the rate and ETA only cover this run's work. */
    public ProgressBar resumeAt(long step) {
        done = step;
        startedAt = step;
        return this;
    }

    /** Sets a field shown after the bar, e.g. {@code set("loss", "%.3f", 0.83)}. */
    public ProgressBar set(String name, String format, Object... values) {
        fields.put(name, String.format(Locale.ROOT, format, values));
        return this;
    }

    /** Advances to {@code step} and redraws. */
    public void update(long step) {
        done = step;
        if (interactive) {
            out.print("\r" + line());
            out.flush();
        } else if (done % printEvery == 0 || done == total) {
            out.println(line());
        }
    }

    /** Ends the line. */
    public void finish() {
        if (interactive) {
            out.println();
        }
    }

    /** The current line, without carriage return. */
    public String line() {
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        long run = done - startedAt;
        double rate = seconds > 0 ? run / seconds : 0;
        double fraction = total > 0 ? Math.min(1.0, (double) done / total) : 0;
        int filled = (int) Math.round(fraction * WIDTH);
        StringBuilder sb = new StringBuilder(title).append(" [");
        for (int i = 0; i < WIDTH; i++) {
            sb.append(i < filled ? '=' : i == filled ? '>' : ' ');
        }
        sb.append(String.format(Locale.ROOT, "] %d/%d %3.0f%% %.2f it/s", done, total, fraction * 100, rate));
        if (rate > 0 && done < total) {
            sb.append(" ETA ").append(clock((total - done) / rate));
        } else {
            sb.append(" ").append(clock(seconds));
        }
        fields.forEach((k, v) -> sb.append(' ').append(k).append(' ').append(v));
        return sb.toString();
    }

    static String clock(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
                : String.format(Locale.ROOT, "%02d:%02d", s / 60, s % 60);
    }
}
