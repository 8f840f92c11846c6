package ai.wsbcn.report;

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
        List<String> kept = new ArrayList<>();
        kept.add(lines.get(0));
        for (String line : lines.subList(1, lines.size())) {
            String first = line.split(",", 2)[0];
            try {
                if (Long.parseLong(first) < resumeUpdate) {
                    kept.add(line);
                }
            } catch (NumberFormatException e) {
                throw new IOException(file + ": first column must be the update index, got '" + first + "'", e);
            }
        }
        Files.write(file, kept, StandardCharsets.UTF_8);
        BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        return new CsvLog(List.of(columns), w);
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
