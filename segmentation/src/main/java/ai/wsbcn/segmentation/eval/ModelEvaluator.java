package ai.wsbcn.segmentation.eval;

import ai.wsbcn.report.ProgressBar;
import ai.wsbcn.segmentation.data.LabelMap;
import ai.wsbcn.segmentation.data.LabelPng;
import ai.wsbcn.segmentation.data.SegmentationSample;
import ai.wsbcn.segmentation.data.VocSample;
import ai.wsbcn.segmentation.predict.Segmenter;
import ai.wsbcn.util.InvalidInputException;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Evaluates a network on a VOC split in-process: each image whole at its own size, predictions optionally written as
 * palette PNGs ({@code <id>.png}, so {@code wsbcn eval voc} can re-score them), one confusion matrix.
 */
public final class ModelEvaluator {

    private ModelEvaluator() {}

    public static SegmentationMetrics evaluate(Segmenter segmenter, List<VocSample> samples, int numClasses,
                                               Path predDir, PrintStream progress) throws IOException {
        if (predDir != null) {
            Files.createDirectories(predDir);
            refuseLabelFolder(predDir, samples);
        }
        ConfusionMatrix m = new ConfusionMatrix(numClasses);
        // the progress line of every command (ProgressBar), images per second included
        ProgressBar bar = progress == null ? null : new ProgressBar("eval", samples.size(), progress,
                System.console() != null, Math.max(1, samples.size() / 20));
        for (int i = 0; i < samples.size(); i++) {
            VocSample v = samples.get(i);
            SegmentationSample s = v.load();
            LabelMap pred = segmenter.segment(s.image());
            m.add(s.label(), pred, v.label().toString(), "prediction for " + v.id());
            if (predDir != null) {
                LabelPng.write(predDir.resolve(v.id() + ".png"), pred);
            }
            if (bar != null) {
                bar.update(i + 1);
            }
        }
        if (bar != null) {
            bar.finish();
        }
        return m.metrics();
    }

    /** Predictions written into a label folder would replace the ground truth they are scored against. */
    private static void refuseLabelFolder(Path predDir, List<VocSample> samples) throws IOException {
        Path real = predDir.toRealPath();
        for (VocSample v : samples) {
            Path labelDir = v.label().toAbsolutePath().getParent();
            if (Files.isDirectory(labelDir) && labelDir.toRealPath().equals(real)) {
                throw new InvalidInputException(predDir + ": is the folder of the ground-truth labels ("
                        + v.label() + "); predictions written there would overwrite them: choose another --pred-dir");
            }
        }
    }
}
