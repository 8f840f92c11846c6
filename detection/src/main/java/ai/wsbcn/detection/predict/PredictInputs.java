package ai.wsbcn.detection.predict;

import ai.wsbcn.detection.coco.json.CocoDataset;
import ai.wsbcn.detection.coco.json.CocoImage;
import ai.wsbcn.util.InvalidInputException;
import ai.wsbcn.util.ResultNames;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;

/**
 * What {@code detection predict} is given, resolved before any work: folders expanded to their image files, the
 * image id of each file, and an overlay file name for each that no other input shares.
 */
public final class PredictInputs {

    /** Extensions taken from a folder (a file named directly may have any; OpenCV decides). */
    static final Set<String> IMAGE_EXTENSIONS = Set.of("jpg", "jpeg", "png", "bmp", "tif", "tiff", "webp");

    private PredictInputs() {}

    /**
     * Files and folders as given; a folder stands for its image files (by extension, not recursive) in name order.
     * A folder without images, or a path that does not exist, is an error.
     */
    public static List<Path> expand(List<Path> args) throws IOException {
        List<Path> out = new ArrayList<>();
        for (Path a : args) {
            if (Files.isDirectory(a)) {
                List<Path> found;
                try (Stream<Path> s = Files.list(a)) {
                    found = s.filter(p -> Files.isRegularFile(p) && IMAGE_EXTENSIONS.contains(extension(p)))
                            .sorted().toList();
                }
                if (found.isEmpty()) {
                    throw new InvalidInputException(a + ": no image files in this folder (looked for ."
                            + String.join(", .", IMAGE_EXTENSIONS.stream().sorted().toList()) + ")");
                }
                out.addAll(found);
            } else if (Files.isRegularFile(a)) {
                out.add(a);
            } else {
                throw new InvalidInputException(a + ": image file not found");
            }
        }
        return out;
    }

    /**
     * The id of each image in {@code groundTruth}: the image whose {@code file_name} the path ends with (the longest
     * such name, so {@code val/a.jpg} wins over {@code a.jpg}). An image that no entry names, or that two entries name
     * equally well, is an error: results with made-up ids would be evaluated against the wrong images.
     */
    public static long[] imageIds(List<Path> images, CocoDataset groundTruth) {
        long[] ids = new long[images.size()];
        for (int i = 0; i < ids.length; i++) {
            Path file = images.get(i).toAbsolutePath().normalize();
            CocoImage best = null;
            int bestLength = -1;
            boolean tie = false;
            for (CocoImage im : groundTruth.images()) {
                Path name = fileName(im);
                if (name == null || !file.endsWith(name)) {
                    continue;
                }
                if (name.getNameCount() > bestLength) {
                    best = im;
                    bestLength = name.getNameCount();
                    tie = false;
                } else if (name.getNameCount() == bestLength) {
                    tie = true;
                }
            }
            if (best == null) {
                throw new InvalidInputException(images.get(i) + ": no image of " + groundTruth.source()
                        + " has this file_name, so it has no image id there");
            }
            if (tie) {
                throw new InvalidInputException(images.get(i) + ": several images of " + groundTruth.source()
                        + " have the file_name '" + best.fileName() + "'; name the image by a longer path");
            }
            ids[i] = best.id();
        }
        return ids;
    }

    private static Path fileName(CocoImage im) {
        if (im.fileName() == null || im.fileName().isEmpty()) {
            return null;
        }
        try {
            Path p = Path.of(im.fileName()).normalize();
            return p.isAbsolute() || p.getNameCount() == 0 || p.startsWith("..") ? null : p;
        } catch (InvalidPathException e) {
            return null;
        }
    }

    /**
     * The overlay PNG of each image in {@code out}: {@code NAME.png}, or {@code NAME.EXT.png} where two inputs share a
     * name ({@link ResultNames#stems}). An overlay that would overwrite one of the inputs is an error.
     */
    public static List<Path> overlayFiles(List<Path> images, Path out) {
        List<Path> files = ResultNames.stems(images).stream().map(stem -> out.resolve(stem + ".png")).toList();
        ResultNames.refuseOverwritingInputs(images, files);
        return files;
    }

    private static String extension(Path p) {
        String name = p.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot > 0 ? name.substring(dot + 1).toLowerCase(Locale.ROOT) : "";
    }
}
