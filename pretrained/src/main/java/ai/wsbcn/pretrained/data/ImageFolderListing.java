package ai.wsbcn.pretrained.data;

import ai.wsbcn.util.InvalidInputException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.FileVisitOption;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * torchvision's {@code find_classes} and {@code make_dataset} (0.14): which sub-folders are classes and which files
 * are a class's images, in the same order, so that class indices and sample indices (and with them the seeded sample
 * order) agree with {@code ImageFolder} on the same folder.
 */
final class ImageFolderListing {

    /** torchvision's {@code IMG_EXTENSIONS}, in its order; matched case-insensitively at the end of the name. */
    static final List<String> EXTENSIONS =
            List.of(".jpg", ".jpeg", ".png", ".ppm", ".bmp", ".pgm", ".tif", ".tiff", ".webp");

    /** Python's {@code str} order (by code point), which {@code sorted()} uses; Java's compares UTF-16 units. */
    static final Comparator<String> PYTHON_ORDER = ImageFolderListing::compareCodePoints;

    private ImageFolderListing() {}

    /**
     * The sorted names of the sub-folders of {@code folder}, symbolic links to folders and hidden folders included (as
     * {@code os.scandir(...).is_dir()}).
     */
    static List<String> classes(Path folder) {
        if (!Files.isDirectory(folder)) {
            throw new InvalidInputException(folder + ": image folder not found");
        }
        List<String> names = new ArrayList<>();
        try (Stream<Path> s = Files.list(folder)) {
            s.filter(Files::isDirectory).forEach(p -> names.add(p.getFileName().toString()));
        } catch (IOException | UncheckedIOException e) {
            throw new InvalidInputException(folder + ": cannot list class folders (" + e.getMessage() + ")", e);
        }
        if (names.isEmpty()) {
            throw new InvalidInputException(folder + ": no class sub-folders (expected <folder>/<class>/<image>)");
        }
        names.sort(PYTHON_ORDER);
        return names;
    }

    /**
     * The image files under {@code classDir}, at any depth, following symbolic links (torchvision walks with
     * {@code followlinks=True}), in {@code sorted(os.walk(...))} order: folder by folder in the string order of their
     * paths (so {@code sub/x} comes after {@code sub-x}), each folder's files sorted by name. A broken link or a link
     * loop is an error naming it (torchvision would fail on the broken link when loading it, or walk the loop
     * until the path is too long).
     */
    static List<Path> images(Path classDir) {
        List<Path> found;
        try (Stream<Path> s = Files.walk(classDir, FileVisitOption.FOLLOW_LINKS)) {
            found = s.filter(p -> !Files.isDirectory(p) && hasImageExtension(p)).toList();
        } catch (UncheckedIOException e) {
            throw walkError(classDir, e.getCause());
        } catch (IOException e) {
            throw walkError(classDir, e);
        }
        for (Path p : found) {
            if (!Files.exists(p)) {
                throw new InvalidInputException(p + ": broken symbolic link (to " + linkTarget(p) + ")");
            }
        }
        List<Path> sorted = new ArrayList<>(found);
        sorted.sort(Comparator.comparing((Path p) -> classDir.relativize(p.getParent()).toString(), PYTHON_ORDER)
                .thenComparing(p -> p.getFileName().toString(), PYTHON_ORDER));
        return sorted;
    }

    static boolean hasImageExtension(Path p) {
        String name = p.getFileName().toString().toLowerCase(Locale.ROOT);
        return EXTENSIONS.stream().anyMatch(name::endsWith);
    }

    private static InvalidInputException walkError(Path classDir, IOException e) {
        if (e instanceof FileSystemLoopException loop) {
            return new InvalidInputException(loop.getFile() + ": symbolic link loop (a link to a folder that contains"
                    + " it) in class folder " + classDir, e);
        }
        return new InvalidInputException(classDir + ": cannot list images (" + e.getMessage() + ")", e);
    }

    private static String linkTarget(Path link) {
        try {
            return Files.readSymbolicLink(link).toString();
        } catch (IOException | UnsupportedOperationException e) {
            return "?";
        }
    }

    private static int compareCodePoints(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int ca = a.codePointAt(i);
            int cb = b.codePointAt(j);
            if (ca != cb) {
                return Integer.compare(ca, cb);
            }
            i += Character.charCount(ca);
            j += Character.charCount(cb);
        }
        return Integer.compare(a.length() - i, b.length() - j);
    }
}
