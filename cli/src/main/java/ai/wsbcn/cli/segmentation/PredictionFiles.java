package ai.wsbcn.cli.segmentation;

import ai.wsbcn.util.InvalidInputException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Where {@code segmentation predict} writes each image's results ({@code OUT/<stem>.png},
 * {@code OUT/<stem>_overlay.jpg}), checked before any work: two inputs of one stem would overwrite each other's
 * results, and an input inside {@code OUT} named like an output would itself be overwritten (a {@code photo.png}
 * predicted into its own folder).
 */
record PredictionFiles(Path image, Path labels, Path overlay) {

    static List<PredictionFiles> plan(List<Path> images, Path out) {
        List<PredictionFiles> plan = new ArrayList<>();
        Map<String, Path> byStem = new HashMap<>();
        for (Path image : images) {
            if (!Files.isRegularFile(image)) {
                throw new InvalidInputException(image + ": image file not found");
            }
            String name = image.getFileName().toString();
            String stem = name.contains(".") ? name.substring(0, name.lastIndexOf('.')) : name;
            Path before = byStem.putIfAbsent(stem, image);
            if (before != null) {
                throw new InvalidInputException(image + ": its results would overwrite those of " + before + " ("
                        + out.resolve(stem + ".png") + "); predict images of one name into separate --out folders");
            }
            plan.add(new PredictionFiles(image, out.resolve(stem + ".png"), out.resolve(stem + "_overlay.jpg")));
        }
        Map<Path, Path> inputs = new HashMap<>();
        images.forEach(image -> inputs.put(realPath(image), image));
        for (PredictionFiles p : plan) {
            for (Path output : List.of(p.labels, p.overlay)) {
                Path input = Files.exists(output) ? inputs.get(realPath(output)) : null;
                if (input != null) {
                    throw new InvalidInputException(input + ": would be overwritten by the results of " + p.image
                            + "; choose another --out folder");
                }
            }
        }
        return plan;
    }

    private static Path realPath(Path file) {
        try {
            return file.toRealPath();
        } catch (IOException e) {
            throw new InvalidInputException(file + ": cannot resolve path: " + e.getMessage(), e);
        }
    }
}
