package ai.wsbcn.video.data;

import ai.wsbcn.util.InvalidInputException;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.IllegalFormatException;
import java.util.Locale;
import java.util.Set;
import java.util.function.IntFunction;
import java.util.function.IntPredicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Finds how many frames a video folder holds: the run {@code 1, 2, ...} of files named by the frame template. */
public final class FrameFolders {

    /** Something-Something V1's frame names: {@code 00001.jpg}. */
    public static final String SS_TEMPLATE = "%05d.jpg";

    /** Something-Something V2's frame names as TSM's {@code vid2img_sthv2.py} writes them: {@code 000001.jpg}. */
    public static final String SS_V2_TEMPLATE = "%06d.jpg";

    /** Python's {@code {}}, {@code {:d}}, {@code {:05d}} (the TSM code's {@code image_tmpl} syntax). */
    /** {@code prefix%05dsuffix} with no other {@code %}: formatted without {@code String.format}. */
    private static final Pattern PRINTF_FIELD = Pattern.compile("([^%]*)%(0?)([1-9]\\d*)?d([^%]*)");

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
     * What a frame folder holds: {@code frames} consecutive frames {@code 1..frames} and whether a later-numbered frame
     * exists past a gap ({@code gap}, checked up to the folder's file count beyond the run).
     */
    public record FrameRun(int frames, boolean gap) {}

    /** The number of consecutive frames {@code 1..n} in {@code dir}; 0 when missing, unreadable or without frame 1. */
    public static int countFrames(Path dir, String template) {
        return scan(dir, template).frames();
    }

    /**
     * Scans {@code dir} with one listing (no per-frame look-ups, which matters for 200k folders): the run of frames
     * {@code 1, 2, ...} named by {@code template}; other files ({@code .DS_Store}, a frame {@code 0}) are ignored.
     * A frame that is then missing at load time is reported by the loader with its file name.
     */
    public static FrameRun scan(Path dir, String template) {
        if (!Files.isDirectory(dir)) {
            return new FrameRun(0, false);
        }
        Set<String> names = new HashSet<>();
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
            for (Path p : s) {
                names.add(p.getFileName().toString());
            }
        } catch (IOException e) {
            return new FrameRun(0, false);
        }
        IntFunction<String> name = namer(template);
        // a template naming a file in a sub-folder is looked up on disk
        IntPredicate exists = name.apply(1).contains("/")
                ? i -> Files.isRegularFile(dir.resolve(name.apply(i))) : i -> names.contains(name.apply(i));
        int n = 0;
        while (exists.test(n + 1)) {
            n++;
        }
        boolean gap = false;
        if (n > 0 && names.size() > n) { // files besides the run: stray ones, or frames past a gap
            for (int i = n + 2; i <= n + 1 + names.size() && !gap; i++) {
                gap = exists.test(i);
            }
        }
        return new FrameRun(n, gap);
    }

    /**
     * {@code index -> file name}; templates of the form {@code prefix%0Nd suffix} are formatted by hand, as
     * {@code String.format} (0.6 us) would cost seconds over Something-Something V2's 10 million frames.
     */
    static IntFunction<String> namer(String template) {
        Matcher m = PRINTF_FIELD.matcher(template);
        if (!m.matches()) {
            return i -> String.format(Locale.ROOT, template, i);
        }
        String prefix = m.group(1);
        boolean zeros = !m.group(2).isEmpty();
        int width = m.group(3) == null ? 0 : Integer.parseInt(m.group(3));
        String suffix = m.group(4);
        return i -> {
            String digits = Integer.toString(i);
            StringBuilder b = new StringBuilder(prefix.length() + Math.max(width, digits.length()) + suffix.length());
            b.append(prefix);
            for (int k = digits.length(); k < width; k++) {
                b.append(zeros ? '0' : ' ');
            }
            return b.append(digits).append(suffix).toString();
        };
    }

    /** Why a folder has no frames, for the skip report. */
    static String whyEmpty(Path dir, String template) {
        if (!Files.exists(dir)) {
            return "frame folder " + dir + " does not exist";
        }
        if (!Files.isDirectory(dir)) {
            return dir + " is not a folder";
        }
        String why = "frame folder " + dir + " has no frame " + frame(dir, template, 1).getFileName();
        if (Files.isRegularFile(frame(dir, template, 0))) {
            why += " (its frames start at " + frame(dir, template, 0).getFileName() + "; they are numbered from 1)";
        }
        return why;
    }
}
