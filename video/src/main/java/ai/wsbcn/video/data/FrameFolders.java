package ai.wsbcn.video.data;

import ai.wsbcn.util.InvalidInputException;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.IllegalFormatException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Finds how many frames a video folder holds: the run {@code 1, 2, ...} of files named by the frame template. */
public final class FrameFolders {

    /** Something-Something V1's frame names: {@code 00001.jpg}. */
    public static final String SS_TEMPLATE = "%05d.jpg";

    /** Something-Something V2's frame names as TSM's {@code vid2img_sthv2.py} writes them: {@code 000001.jpg}. */
    public static final String SS_V2_TEMPLATE = "%06d.jpg";

    /** Python's {@code {}}, {@code {:d}}, {@code {:05d}} (the TSM code's {@code image_tmpl} syntax). */
    private static final Pattern PYTHON_FIELD = Pattern.compile("\\{(?::(0?)(\\d*)d)?}");

    private FrameFolders() {}

    /**
     * A frame-name template as a {@code String.format} pattern of the 1-based index: printf syntax ({@code %05d.jpg},
     * {@code img_%05d.jpg}) is kept, the TSM code's Python syntax ({@code {:06d}.jpg}, {@code img_{:05d}.jpg}) is
     * translated. Anything that does not name frame 1 and frame 2 differently from one integer is an error: a
     * template that formats to the same name for every index would find no frames and skip every video.
     */
    public static String parseTemplate(String template) {
        String t = template;
        Matcher m = PYTHON_FIELD.matcher(t);
        if (m.find() && !t.contains("%")) {
            String width = m.group(2) == null ? "" : m.group(1) + m.group(2);
            t = t.substring(0, m.start()) + "%" + width + "d" + t.substring(m.end());
        }
        try {
            if (PYTHON_FIELD.matcher(t).find()) {
                throw new InvalidInputException("frame template '" + template + "' has more than one index field");
            }
            String one = String.format(Locale.ROOT, t, 1);
            String two = String.format(Locale.ROOT, t, 2);
            if (!one.equals(two)) {
                return t;
            }
        } catch (IllegalFormatException e) {
            // reported below
        }
        throw new InvalidInputException("frame template '" + template + "' must name one frame file by its 1-based"
                + " index, e.g. %05d.jpg, img_%05d.jpg or {:06d}.jpg");
    }

    /** The file of frame {@code index} (1-based). */
    public static Path frame(Path dir, String template, int index) {
        return dir.resolve(String.format(Locale.ROOT, template, index));
    }

    /**
     * The number of consecutive frames {@code 1..n} present in {@code dir}; 0 when the folder is missing, unreadable
     * or holds no first frame. Fast path: when the folder holds {@code k} files and frames 1 and {@code k} exist, all
     * {@code k} are taken to be frames (one listing, two look-ups per video, which matters for 100k folders);
     * otherwise frames are checked name by name and a gap ends the video. A frame that is then missing at load time
     * is reported by the loader with its file name.
     */
    public static int countFrames(Path dir, String template) {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        int files = 0;
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
            for (Path ignored : s) {
                files++;
            }
        } catch (IOException e) {
            return 0;
        }
        if (files > 0 && Files.isRegularFile(frame(dir, template, files)) && Files.isRegularFile(frame(dir, template, 1))) {
            return files;
        }
        int n = 0;
        while (n < files && Files.isRegularFile(frame(dir, template, n + 1))) {
            n++;
        }
        return n;
    }

    /** Why a folder has no frames, for the skip report. */
    static String whyEmpty(Path dir, String template) {
        if (!Files.exists(dir)) {
            return "frame folder " + dir + " does not exist";
        }
        if (!Files.isDirectory(dir)) {
            return dir + " is not a folder";
        }
        return "frame folder " + dir + " has no frame " + frame(dir, template, 1).getFileName();
    }
}
