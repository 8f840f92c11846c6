package ai.wsbcn.util;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The lines of a list or CSV file a user wrote: UTF-8, with a leading byte-order mark dropped (editors on Windows
 * add one, and it would otherwise become part of the first id or label) and line ends of any kind.
 */
public final class TextLines {

    private TextLines() {}

    public static List<String> read(Path file) throws IOException {
        List<String> lines = new ArrayList<>(Files.readAllLines(file, StandardCharsets.UTF_8));
        if (!lines.isEmpty() && lines.get(0).startsWith("\uFEFF")) {
            lines.set(0, lines.get(0).substring(1));
        }
        return lines;
    }
}
