package ai.wsbcn.cli.segmentation;

import ai.wsbcn.util.InvalidInputException;
import ai.wsbcn.util.ResultNames;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Where {@code segmentation predict} writes each image's results ({@code OUT/<stem>.png},
 * {@code OUT/<stem>_overlay.jpg}, stems as {@link ResultNames#stems} gives them, so two inputs of one name get
 * separate results), checked before any work: a result that would overwrite an input is refused.
 */
record PredictionFiles(Path image, Path labels, Path overlay) {

    static List<PredictionFiles> plan(List<Path> images, Path out) {
        for (Path image : images) {
            if (!Files.isRegularFile(image)) {
                throw new InvalidInputException(image + ": image file not found");
            }
        }
        List<String> stems = ResultNames.stems(images);
        List<PredictionFiles> plan = new ArrayList<>();
        List<Path> results = new ArrayList<>();
        for (int i = 0; i < images.size(); i++) {
            PredictionFiles p = new PredictionFiles(images.get(i), out.resolve(stems.get(i) + ".png"),
                    out.resolve(stems.get(i) + "_overlay.jpg"));
            plan.add(p);
            results.add(p.labels);
            results.add(p.overlay);
        }
        ResultNames.refuseOverwritingInputs(images, results);
        return plan;
    }
}
