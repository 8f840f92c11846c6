package ai.wsbcn.video.data;

import ai.wsbcn.util.TextLines;
import ai.wsbcn.util.InvalidInputException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Something-Something V1 as distributed:
 *
 * <pre>
 * ROOT/something-something-v1-labels.csv       one class name per line; class index = rank in sorted order
 * ROOT/something-something-v1-train.csv        lines "video_id;label name"
 * ROOT/something-something-v1-validation.csv
 * ROOT/20bn-something-something-v1/&lt;video_id&gt;/00001.jpg ...   (or ROOT/&lt;video_id&gt;/ directly)
 * </pre>
 *
 * Videos whose frame folder is missing or empty are listed in {@link VideoList#skipped()}; malformed lines and unknown
 * label names are errors naming the file and line. {@link #read} also reads V2's JSON layout
 * ({@link SomethingSomethingV2}).
 */
public final class SomethingSomething {

    public static final String LABELS_FILE = "something-something-v1-labels.csv";
    public static final String FRAMES_DIR = "20bn-something-something-v1";

    /** The two labelled splits. */
    public enum Split {
        TRAIN("train"),
        VALIDATION("validation");

        private final String fileTag;

        Split(String fileTag) {
            this.fileTag = fileTag;
        }

        public String fileName() {
            return "something-something-v1-" + fileTag + ".csv";
        }

        /** {@code train}, {@code val} or {@code validation} (any case). */
        public static Split parse(String s) {
            switch (s.toLowerCase(Locale.ROOT)) {
                case "train":
                    return TRAIN;
                case "val":
                case "validation":
                    return VALIDATION;
                default:
                    throw new InvalidInputException("unknown split '" + s + "' (use train or validation)");
            }
        }
    }

    private SomethingSomething() {}

    /** Reads split {@code split} of the data set in {@code root}, V1 or V2, frames named as the version has them. */
    public static VideoList read(Path root, Split split) {
        return read(root, split, null, null);
    }

    /**
     * Reads split {@code split} of the V1 or V2 data set in {@code root} (V2 when its {@code labels.json} is there and
     * V1's labels file is not). {@code template} names the frame files, {@code null} for the version's default
     * ({@code %05d.jpg} for V1, {@code %06d.jpg} for V2); {@code frames} holds the per-video folders, {@code null} for
     * the version's frame folder in {@code root} (or {@code root} itself).
     */
    public static VideoList read(Path root, Split split, String template, Path frames) {
        if (!Files.isDirectory(root)) {
            throw new InvalidInputException(root + ": Something-Something folder not found");
        }
        if (frames != null && !Files.isDirectory(frames)) {
            throw new InvalidInputException(frames + ": frame folder not found");
        }
        boolean v1 = Files.exists(root.resolve(LABELS_FILE));
        if (!v1 && Files.exists(root.resolve(SomethingSomethingV2.LABELS_FILE))) {
            return SomethingSomethingV2.readSplit(root.resolve(SomethingSomethingV2.fileName(split)),
                    SomethingSomethingV2.readLabels(root.resolve(SomethingSomethingV2.LABELS_FILE)),
                    frames != null ? frames : frameRoot(root, SomethingSomethingV2.FRAMES_DIR),
                    template != null ? template : FrameFolders.SS_V2_TEMPLATE);
        }
        if (!v1) {
            throw new InvalidInputException(root + ": neither " + LABELS_FILE + " (Something-Something V1) nor "
                    + SomethingSomethingV2.LABELS_FILE + " (V2) found");
        }
        return readSplit(root.resolve(split.fileName()), sortedClasses(root.resolve(LABELS_FILE)),
                frames != null ? frames : frameRoot(root, FRAMES_DIR),
                template != null ? template : FrameFolders.SS_TEMPLATE);
    }

    /**
     * V1's classes in TSM's order: its {@code gen_label_sthv1.py} sorts the labels file's names to number them, so
     * TSM's list files, {@code category.txt} and checkpoints all use sorted order, not the file's.
     */
    static List<String> sortedClasses(Path labelsFile) {
        List<String> classes = new ArrayList<>(readLabels(labelsFile));
        Collections.sort(classes);
        return List.copyOf(classes);
    }

    /** Where the per-video frame folders are: {@code ROOT/<framesDir>} if present, else ROOT. */
    static Path frameRoot(Path root, String framesDir) {
        Path sub = root.resolve(framesDir);
        return Files.isDirectory(sub) ? sub : root;
    }

    /** The class names, one per non-blank line (surrounding spaces trimmed); duplicates are an error. */
    public static List<String> readLabels(Path file) {
        List<String> lines = readLines(file, "labels file");
        List<String> classes = new ArrayList<>();
        Map<String, Integer> seen = new HashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String name = lines.get(i).strip();
            if (name.isEmpty()) {
                continue;
            }
            Integer before = seen.putIfAbsent(name, i + 1);
            if (before != null) {
                throw new InvalidInputException(file + ":" + (i + 1) + ": class '" + name
                        + "' already named on line " + before);
            }
            classes.add(name);
        }
        if (classes.isEmpty()) {
            throw new InvalidInputException(file + ": no class names");
        }
        return classes;
    }

    /** A split file of {@code video_id;label name} lines, resolved against {@code classes} and the frame folders. */
    public static VideoList readSplit(Path file, List<String> classes, Path frameRoot, String template) {
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < classes.size(); i++) {
            index.put(classes.get(i), i);
        }
        List<String> lines = readLines(file, "split file");
        SplitCollector split = new SplitCollector(file, frameRoot, template, "line");
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty()) {
                continue;
            }
            int semi = line.indexOf(';');
            if (semi <= 0 || semi == line.length() - 1) {
                throw new InvalidInputException(split.where(i + 1) + ": expected 'video_id;label name', got '" + line
                        + "'");
            }
            String id = line.substring(0, semi).strip();
            String name = line.substring(semi + 1).strip();
            Integer label = index.get(name);
            if (label == null) {
                throw new InvalidInputException(split.where(i + 1) + ": label '" + name
                        + "' is not in the labels file (" + classes.size() + " classes)");
            }
            split.add(i + 1, id, label);
        }
        return split.build(classes);
    }

    static List<String> readLines(Path file, String what) {
        if (!Files.isRegularFile(file)) {
            throw new InvalidInputException(file + ": " + what + " not found");
        }
        try {
            return TextLines.read(file);
        } catch (IOException e) {
            throw new InvalidInputException(file + ": cannot read " + what + " (" + e.getMessage() + ")", e);
        }
    }
}
