package ai.wsbcn.detection.model.poolers;

import ai.wsbcn.detection.box.OpsReference;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** torchvision LevelMapper (multiscale_roi_align.npz lm_*): levels exact, raw level within 1e-6. */
class LevelMapperTest {

    @Test
    void levelsEqualTorchvision() {
        OpsReference.with("multiscale_roi_align.npz", ref -> {
            LevelMapper mapper = new LevelMapper(2, 5);
            float[] boxes = ref.floats("lm_boxes");
            int[] expected = ref.ints("lm_levels");
            int[] k = mapper.levels(boxes);
            for (int i = 0; i < k.length; i++) {
                assertEquals(expected[i] + 2, k[i], "box " + i + " (0-based level + kMin)");
            }
            double err = OpsReference.maxAbs(ref.floats("lm_raw"), mapper.rawLevels(boxes));
            assertTrue(err <= 1e-6, "raw level error " + err);
            assertArrayEquals(ref.ints("levels"), new MultiScaleRoIAlign(7, 2, new int[] {4, 8, 16, 32})
                    .levelIndices(ref.floats("boxes")));
        });
    }

    @Test
    void canonicalSizesAndClamping() {
        LevelMapper mapper = new LevelMapper(2, 5);
        float[] boxes = {0, 0, 224, 224, 0, 0, 112, 112, 0, 0, 111, 111, 0, 0, 1, 1, 0, 0, 2000, 2000, 5, 5, 5, 5};
        assertArrayEquals(new int[] {4, 3, 2, 2, 5, 2}, mapper.levels(boxes));
    }
}
