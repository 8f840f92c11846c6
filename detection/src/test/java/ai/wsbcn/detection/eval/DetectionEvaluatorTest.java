package ai.wsbcn.detection.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.wsbcn.detection.data.CocoSamples;
import ai.wsbcn.detection.data.synthetic.SyntheticShapes;
import ai.wsbcn.detection.model.ImageDetections;
import ai.wsbcn.detection.transforms.DetectionSample;
import ai.wsbcn.detection.transforms.TargetInstances;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Ground truth fed back as detections through the COCO JSON writer and evaluator. */
class DetectionEvaluatorTest {

    @TempDir
    Path dir;

    @Test
    void perfectAndShiftedDetections() throws Exception {
        SyntheticShapes.Layout layout = SyntheticShapes.builder().optImageSize(96, 96).optImagesPerSplit(1, 6)
                .optSeed(11).build().write(dir.resolve("data"));
        CocoSamples val = CocoSamples.open(layout.imageDir(SyntheticShapes.Split.VAL),
                layout.annotations(SyntheticShapes.Split.VAL), true, false);
        List<ImageDetections> perfect = new ArrayList<>();
        List<ImageDetections> shifted = new ArrayList<>();
        for (int i = 0; i < val.size(); i++) {
            DetectionSample s = val.get(i);
            TargetInstances t = s.targets();
            float[] scores = new float[t.size()];
            java.util.Arrays.fill(scores, 0.9f);
            perfect.add(new ImageDetections(s.imageId(), s.height(), s.width(), t.boxes(), scores, t.labels(),
                    t.masks()));
            float[] b = t.boxes().clone();
            for (int k = 0; k < t.size(); k++) {
                float dx = 0.2f * (b[4 * k + 2] - b[4 * k]);
                b[4 * k] += dx;
                b[4 * k + 2] += dx;
            }
            shifted.add(new ImageDetections(s.imageId(), s.height(), s.width(), b, scores, t.labels(), t.masks()));
        }
        Path json = dir.resolve("results.json");
        DetectionEvaluator.Result r = DetectionEvaluator.evaluate(perfect, val.coco().dataset(), val.categories(),
                true, json);
        assertTrue(Files.size(json) > 2);
        // exact: every detection matches its own ground truth at every IoU threshold (tolerance 1e-9)
        assertEquals(1.0, r.boxAp(), 1e-9);
        assertEquals(1.0, r.maskAp(), 1e-9);
        DetectionEvaluator.Result s = DetectionEvaluator.evaluate(shifted, val.coco().dataset(), val.categories(),
                false, null);
        // a 20% horizontal shift gives IoU (1-0.2)/(1+0.2) = 0.667 (ground-truth boxes are the clipped COCO boxes,
        // up to their rounding): matched at thresholds 0.50..0.65 (4 of 10) -> AP 0.4, AP50 1
        assertEquals(1.0, s.boxAp50(), 1e-9);
        assertEquals(0.4, s.boxAp(), 1e-9);
    }
}
