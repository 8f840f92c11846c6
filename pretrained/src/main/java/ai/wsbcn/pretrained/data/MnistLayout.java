package ai.wsbcn.pretrained.data;

import ai.wsbcn.util.InvalidInputException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Where the IDX files of an MNIST-style data set (MNIST, Fashion-MNIST) are in a directory:
 * {@code train-images-idx3-ubyte}, {@code train-labels-idx1-ubyte}, {@code t10k-images-idx3-ubyte},
 * {@code t10k-labels-idx1-ubyte}, each optionally gzipped ({@code .gz}); the dotted variant
 * {@code train-images.idx3-ubyte} that some mirrors use is accepted too.
 */
public final class MnistLayout {

    /** Where Debian's {@code dataset-fashion-mnist} package installs the data set. */
    public static final Path SYSTEM_FASHION_MNIST = Path.of("/usr/share/datasets/fashion-mnist");

    private MnistLayout() {}

    public static Path images(Path dir, Split split) {
        return find(dir, split.filePrefix(), "images", "idx3-ubyte");
    }

    public static Path labels(Path dir, Split split) {
        return find(dir, split.filePrefix(), "labels", "idx1-ubyte");
    }

    /** Whether all four files are present in {@code dir}. */
    public static boolean isComplete(Path dir) {
        for (Split split : Split.values()) {
            if (candidates(dir, split.filePrefix(), "images", "idx3-ubyte").stream().noneMatch(Files::isRegularFile)
                    || candidates(dir, split.filePrefix(), "labels", "idx1-ubyte").stream()
                            .noneMatch(Files::isRegularFile)) {
                return false;
            }
        }
        return true;
    }

    private static Path find(Path dir, String prefix, String kind, String suffix) {
        List<Path> candidates = candidates(dir, prefix, kind, suffix);
        for (Path p : candidates) {
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        throw new InvalidInputException(dir + ": no " + prefix + " " + kind + " file (looked for "
                + candidates.stream().map(p -> p.getFileName().toString()).toList() + ")");
    }

    private static List<Path> candidates(Path dir, String prefix, String kind, String suffix) {
        List<Path> out = new ArrayList<>();
        for (String sep : new String[] {"-", "."}) {
            String name = prefix + "-" + kind + sep + suffix;
            out.add(dir.resolve(name));
            out.add(dir.resolve(name + ".gz"));
        }
        return out;
    }
}
