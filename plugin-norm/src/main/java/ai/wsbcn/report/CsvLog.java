package ai.wsbcn.report;

import ai.wsbcn.util.AtomicFiles;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A CSV training log (one row per update), flushed after each row so a crashed or interrupted run keeps its log.
 * Opening an existing log with the same header appends (for {@code --resume}); rows from updates at or after the
 * resume point are dropped first, so the log never has duplicated updates.
 */
public final class CsvLog implements AutoCloseable {

    private final List<String> columns;
    private final BufferedWriter writer;

    private CsvLog(List<String> columns, BufferedWriter writer) {
        this.columns = columns;
        this.writer = writer;
    }

    /** A new log (replacing any file there). */
    public static CsvLog create(Path file, String... columns) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
        w.write(String.join(",", columns));
        w.newLine();
        w.flush();
        return new CsvLog(List.of(columns), w);
    }

    /**
     * Continues an existing log whose first column is the update index, keeping the rows before
     * {@code resumeUpdate}; creates it when missing.
     */
    public static CsvLog resume(Path file, long resumeUpdate, String... columns) throws IOException {
        if (!Files.exists(file)) {
            return create(file, columns);
        }
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        if (lines.isEmpty() || !lines.get(0).equals(String.join(",", columns))) {
            throw new IOException(file + ": cannot resume a log with a different header (expected "
                    + String.join(",", columns) + ")");
        }
        truncateAfter(file, 0, resumeUpdate - 1);
        BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        return new CsvLog(List.of(columns), w);
    }

    /**
     * Drops the rows of the log {@code file} (a header line, then rows) whose column {@code stepColumn} holds an
     * update index after {@code lastKept}: a run resumed at {@code lastKept} makes those rows again. The file is
     * rewritten atomically, and only when a row goes. Returns the rows kept, split at commas; none if there is no
     * file.
     */
    public static List<String[]> truncateAfter(Path file, int stepColumn, long lastKept) throws IOException {
        if (!Files.exists(file)) {
            return List.of();
        }
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        List<String> kept = new ArrayList<>();
        List<String[]> rows = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            if (i == 0) {
                kept.add(lines.get(0));
                continue;
            }
            String[] f = lines.get(i).split(",");
            long step;
            try {
                step = Long.parseLong(f[stepColumn]);
            } catch (NumberFormatException | ArrayIndexOutOfBoundsException e) {
                throw new IOException(file + ":" + (i + 1) + ": column " + (stepColumn + 1)
                        + " must be the update index, got '" + lines.get(i) + "'", e);
            }
            if (step <= lastKept) {
                kept.add(lines.get(i));
                rows.add(f);
            }
        }
        if (kept.size() != lines.size()) {
            AtomicFiles.writeString(file, String.join("\n", kept) + "\n");
        }
        return rows;
    }

    /** Appends one row; numbers are written with up to 6 significant digits. */
    public void row(Object... values) {
        if (values.length != columns.size()) {
            throw new IllegalArgumentException("CSV row has " + values.length + " values for " + columns.size()
                    + " columns " + columns);
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < values.length; i++) {
            if (i > 0) {
                sb.append(',');
            }
            Object v = values[i];
            if (v instanceof Float || v instanceof Double) {
                sb.append(String.format(Locale.ROOT, "%.6g", ((Number) v).doubleValue()));
            } else {
                sb.append(v);
            }
        }
        try {
            writer.write(sb.toString());
            writer.newLine();
            writer.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() throws IOException {
        writer.close();
    }
}
