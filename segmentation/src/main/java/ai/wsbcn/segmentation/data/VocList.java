package ai.wsbcn.segmentation.data;

import ai.wsbcn.util.InvalidInputException;
import ai.wsbcn.util.TextLines;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A VOC split list ({@code ImageSets/Segmentation/<split>.txt}) as written: one id per line, or DeepLab's pairs of
 * root-relative paths {@code /JPEGImages/x.jpg /SegmentationClassAug/x.png}, whose id is the image's file stem. Blank
 * lines and surrounding spaces are skipped; an id listed twice is refused with both lines, since an evaluation would
 * count it twice and a training run see it twice as often.
 */
public final class VocList {

    /**
     * One listed image.
     *
     * @param line  1-based line in the list file, for error messages
     * @param image the image path relative to the root, or {@code null} on an id-only line
     * @param label the label path relative to the root, or {@code null} on an id-only line
     */
    public record Entry(int line, String id, String image, String label) {}

    private VocList() {}

    /** The entries of {@code list}, in order; an unreadable, malformed or empty list is an InvalidInputException. */
    public static List<Entry> read(Path list) {
        List<String> lines;
        try {
            lines = TextLines.read(list);
        } catch (IOException e) {
            throw new InvalidInputException(list + ": cannot read split list: " + e.getMessage(), e);
        }
        List<Entry> out = new ArrayList<>();
        Map<String, Integer> lineOf = new HashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty()) {
                continue;
            }
            String[] f = line.split("\\s+");
            Entry e;
            if (f.length == 1) {
                e = new Entry(i + 1, f[0], null, null);
            } else if (f.length == 2) {
                String image = stripSlash(f[0]);
                String name = Path.of(image).getFileName().toString();
                e = new Entry(i + 1, name.contains(".") ? name.substring(0, name.lastIndexOf('.')) : name, image,
                        stripSlash(f[1]));
            } else {
                throw new InvalidInputException(list + ":" + (i + 1) + ": expected an image id or 'IMAGE LABEL',"
                        + " got " + f.length + " fields");
            }
            Integer before = lineOf.putIfAbsent(e.id(), e.line());
            if (before != null) {
                throw new InvalidInputException(list + ":" + e.line() + ": '" + e.id() + "' is listed again (line "
                        + before + ")");
            }
            out.add(e);
        }
        if (out.isEmpty()) {
            throw new InvalidInputException(list + ": split list is empty");
        }
        return out;
    }

    private static String stripSlash(String p) {
        return p.startsWith("/") ? p.substring(1) : p;
    }
}
