package ai.wsbcn.segmentation.eval;

import ai.wsbcn.segmentation.data.LabelMap;
import ai.wsbcn.util.InvalidInputException;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** mIoU on hand-computed cases: ignore pixels, classes absent from both maps, classes only predicted. */
class ConfusionMatrixTest {

    private static LabelMap map(int w, int... v) {
        byte[] b = new byte[v.length];
        for (int i = 0; i < v.length; i++) {
            b[i] = (byte) v[i];
        }
        return new LabelMap(w, v.length / w, b);
    }

    @Test
    void handCase() {
        // 4 classes. gt / pred per pixel (3 rows of 4):
        // gt   0 0 1 1 | 1 255 2 2 | 0 0 255 255
        // pred 0 1 1 1 | 0 3   2 0 | 0 0 2   1
        ConfusionMatrix m = new ConfusionMatrix(4);
        m.add(map(4, 0, 0, 1, 1, 1, 255, 2, 2, 0, 0, 255, 255), map(4, 0, 1, 1, 1, 0, 3, 2, 0, 0, 0, 2, 1), "gt",
                "pred");
        SegmentationMetrics s = m.metrics();
        // counted pixels: 9 (three 255s skipped, including the one predicted as class 3)
        assertEquals(9, s.pixels());
        // class 0: tp 3 (gt 0 at 0, 8, 9 -> pred 0,0,0 ; gt 0 at 1 -> pred 1), gt 4, pred (0 at 0,4,7,8,9) 5
        //   IoU = 3 / (4 + 5 - 3) = 0.5
        assertEquals(3.0 / 6, s.iou()[0], 1e-15);
        // class 1: gt at 2,3,4 -> pred 1,1,0: tp 2; pred 1 at 1,2,3 -> 3; IoU = 2 / (3 + 3 - 2) = 0.5
        assertEquals(2.0 / 4, s.iou()[1], 1e-15);
        // class 2: gt at 6,7 -> pred 2,0: tp 1; pred 2 only at 6 (10 is ignored) -> IoU = 1 / (2 + 1 - 1)
        assertEquals(0.5, s.iou()[2], 1e-15);
        // class 3: only predicted on an ignored pixel -> absent
        assertTrue(Double.isNaN(s.iou()[3]));
        assertEquals((0.5 + 0.5 + 0.5) / 3, s.mIoU(), 1e-15);
        assertEquals(6.0 / 9, s.pixelAcc(), 1e-15);
        assertEquals(3, s.presentClasses());
    }

    @Test
    void classOnlyPredictedCountsWithZeroIou() {
        ConfusionMatrix m = new ConfusionMatrix(3);
        m.add(map(2, 0, 0, 1, 1), map(2, 0, 2, 1, 1), "gt", "pred");
        SegmentationMetrics s = m.metrics();
        assertEquals(0.5, s.iou()[0], 0);
        assertEquals(1.0, s.iou()[1], 0);
        assertEquals(0.0, s.iou()[2], 0);
        assertEquals(0.5, s.mIoU(), 1e-15);
        var json = s.toJson(List.of());
        assertEquals(0.5, json.get("mIoU").getAsDouble(), 1e-15);
        assertEquals(0.75, json.get("pixelAcc").getAsDouble(), 1e-15);
        assertEquals(3, json.getAsJsonArray("IoU").size());
    }

    @Test
    void absentClassIsNullInJsonAndMergeAdds() {
        ConfusionMatrix a = new ConfusionMatrix(3);
        a.add(map(2, 0, 1), map(2, 0, 0), "gt", "pred");
        ConfusionMatrix b = new ConfusionMatrix(3);
        b.add(map(1, 1), map(1, 1), "gt", "pred");
        a.merge(b);
        SegmentationMetrics s = a.metrics();
        assertEquals(0.5, s.iou()[0], 1e-15); // tp 1, gt 1, pred 2
        assertEquals(0.5, s.iou()[1], 1e-15); // tp 1, gt 2, pred 1
        assertTrue(s.toJson(List.of()).getAsJsonArray("IoU").get(2).isJsonNull());
        assertEquals(3, s.pixels());
    }

    @Test
    void clearErrors() {
        ConfusionMatrix m = new ConfusionMatrix(3);
        InvalidInputException size = assertThrows(InvalidInputException.class,
                () -> m.add(map(2, 0, 0, 0, 0), map(4, 0, 0, 0, 0), "a.png", "b.png"));
        assertTrue(size.getMessage().contains("b.png") && size.getMessage().contains("4x1")
                && size.getMessage().contains("2x2"), size.getMessage());
        InvalidInputException pred = assertThrows(InvalidInputException.class,
                () -> m.add(map(2, 0, 0), map(2, 0, 7), "a.png", "b.png"));
        assertTrue(pred.getMessage().contains("b.png") && pred.getMessage().contains("x=1, y=0"), pred.getMessage());
        InvalidInputException gt = assertThrows(InvalidInputException.class,
                () -> m.add(map(2, 9, 0), map(2, 0, 0), "a.png", "b.png"));
        assertTrue(gt.getMessage().startsWith("a.png"), gt.getMessage());
    }
}
