package ai.wsbcn.segmentation.eval;

import ai.wsbcn.segmentation.data.LabelMap;
import ai.wsbcn.segmentation.data.LabelPng;
import ai.wsbcn.util.InvalidInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Folder evaluation: the sum over images equals a direct per-pixel count; missing / mis-sized predictions. */
class VocEvaluatorTest {

    @Test
    void folderScoreEqualsDirectCount(@TempDir Path dir) throws IOException {
        Path gt = Files.createDirectories(dir.resolve("gt"));
        Path pred = Files.createDirectories(dir.resolve("pred"));
        SplittableRandom rng = new SplittableRandom(2);
        long[] tp = new long[5];
        long[] gtc = new long[5];
        long[] pc = new long[5];
        long total = 0;
        for (int i = 0; i < 7; i++) {
            int w = 20 + i;
            int h = 11 + 2 * i;
            byte[] g = new byte[w * h];
            byte[] p = new byte[w * h];
            for (int k = 0; k < g.length; k++) {
                int gv = rng.nextInt(10) == 0 ? 255 : rng.nextInt(4); // class 4 never in gt
                int pv = rng.nextInt(3) == 0 ? rng.nextInt(5) : gv == 255 ? 0 : gv;
                g[k] = (byte) gv;
                p[k] = (byte) pv;
                if (gv != 255) {
                    total++;
                    gtc[gv]++;
                    pc[pv]++;
                    if (gv == pv) {
                        tp[gv]++;
                    }
                }
            }
            LabelPng.write(gt.resolve("im" + i + ".png"), new LabelMap(w, h, g));
            LabelPng.write(pred.resolve("im" + i + ".png"), new LabelMap(w, h, p));
        }
        SegmentationMetrics s = VocEvaluator.builder().setGtDir(gt).setPredDir(pred).optNumClasses(5)
                .optParallelism(2).build().evaluate();
        double sum = 0;
        for (int c = 0; c < 5; c++) {
            double iou = (double) tp[c] / (gtc[c] + pc[c] - tp[c]);
            assertEquals(iou, s.iou()[c], 1e-12, "class " + c);
            sum += iou;
        }
        assertEquals(sum / 5, s.mIoU(), 1e-12);
        assertEquals(total, s.pixels());

        Files.delete(pred.resolve("im3.png"));
        InvalidInputException missing = assertThrows(InvalidInputException.class,
                () -> VocEvaluator.builder().setGtDir(gt).setPredDir(pred).optNumClasses(5).build().evaluate());
        assertTrue(missing.getMessage().contains("im3.png") && missing.getMessage().contains("1 of 7"),
                missing.getMessage());
        LabelPng.write(pred.resolve("im3.png"), LabelMap.filled(5, 5, 0));
        InvalidInputException size = assertThrows(InvalidInputException.class,
                () -> VocEvaluator.builder().setGtDir(gt).setPredDir(pred).optNumClasses(5).build().evaluate());
        assertTrue(size.getMessage().contains("im3.png") && size.getMessage().contains("5x5"), size.getMessage());
        // only the listed ids are scored
        assertEquals(List.of("im0"), VocEvaluator.builder().setGtDir(gt).setPredDir(pred).optIds(List.of("im0"))
                .optNumClasses(5).build().ids());
    }
}
