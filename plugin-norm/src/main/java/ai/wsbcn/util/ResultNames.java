package ai.wsbcn.util;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Names of the per-input result files that the predict commands write into one folder. Two inputs of one base name
 * ({@code a/x.jpg}, {@code b/x.png}) must not overwrite each other's results, and a result must not overwrite an
 * input (a {@code photo.png} predicted into its own folder): both happened silently before.
 */
public final class ResultNames {

    private ResultNames() {}

    /**
     * One stem per input: its file name without the extension, or, where two inputs share that (compared without
     * case, as some file systems do), its whole file name, numbered ({@code -2}, {@code -3}) if still shared.
     */
    public static List<String> stems(List<Path> inputs) {
        Map<String, Integer> byBase = new HashMap<>();
        for (Path p : inputs) {
            byBase.merge(base(p).toLowerCase(Locale.ROOT), 1, Integer::sum);
        }
        Set<String> used = new HashSet<>();
        List<String> stems = new ArrayList<>();
        for (Path p : inputs) {
            String name = byBase.get(base(p).toLowerCase(Locale.ROOT)) == 1 ? base(p) : p.getFileName().toString();
            String stem = name;
            for (int k = 2; !used.add(stem.toLowerCase(Locale.ROOT)); k++) {
                stem = name + "-" + k;
            }
            stems.add(stem);
        }
        return stems;
    }

    /**
     * Refuses, before any work, results that would overwrite one of the inputs, comparing real paths (a link to an
     * input counts as the input).
     */
    public static void refuseOverwritingInputs(List<Path> inputs, List<Path> results) {
        Map<Path, Path> byRealPath = new HashMap<>();
        for (Path input : inputs) {
            if (Files.exists(input)) {
                byRealPath.put(realPath(input), input);
            }
        }
        for (Path result : results) {
            Path input = Files.exists(result) ? byRealPath.get(realPath(result)) : null;
            if (input != null) {
                throw new InvalidInputException(input + ": would be overwritten by the result " + result
                        + "; choose another --out folder");
            }
        }
    }

    private static String base(Path p) {
        String name = p.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot > 0 ? name.substring(0, dot) : name;
    }

    private static Path realPath(Path file) {
        try {
            return file.toRealPath();
        } catch (IOException e) {
            throw new InvalidInputException(file + ": cannot resolve path: " + e.getMessage(), e);
        }
    }
}
