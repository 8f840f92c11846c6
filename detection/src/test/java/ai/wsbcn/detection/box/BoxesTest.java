package ai.wsbcn.detection.box;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Hand-computed cases (exact arithmetic on small integers/halves, so tolerance 0 or 1e-7). */
class BoxesTest {

    @Test
    void iouOfHandCases() {
        float[] a = {0, 0, 10, 10, 5, 5, 15, 15};
        float[] b = {0, 0, 10, 10, 0, 0, 10, 5, 20, 20, 30, 30, 5, 0, 15, 10};
        float[] iou = Boxes.iou(a, b);
        assertEquals(8, iou.length);
        assertArrayEquals(new float[] {1f, 0.5f, 0f, 50f / 150f}, java.util.Arrays.copyOfRange(iou, 0, 4), 1e-7f);
        // (5,5,15,15) vs (0,0,10,10): inter 25, union 175; vs (0,0,10,5): inter 0; vs (20,..): 0;
        // vs (5,0,15,10): inter 50, union 150
        assertArrayEquals(new float[] {25f / 175f, 0f, 0f, 50f / 150f}, java.util.Arrays.copyOfRange(iou, 4, 8),
                1e-7f);
        assertTrue(Float.isNaN(Boxes.iou(new float[] {1, 1, 1, 1}, new float[] {1, 1, 1, 1})[0]),
                "two empty boxes: 0/0 like torchvision");
    }

    @Test
    void clipClampsToImage() {
        float[] clipped = Boxes.clip(new float[] {-5, -1, 50, 30, 10, 12, 20, 22}, 25, 40);
        assertArrayEquals(new float[] {0, 0, 40, 25, 10, 12, 20, 22}, clipped, 0f);
    }

    @Test
    void removeSmallKeepsWidthAndHeightAtLeastMin() {
        float[] boxes = {0, 0, 1, 1, 0, 0, 0.99f, 5, 0, 0, 5, 0.5f, 2, 2, 4, 4.5f};
        assertArrayEquals(new int[] {0, 3}, Boxes.removeSmall(boxes, 1f));
        assertArrayEquals(new int[] {0, 1, 2, 3}, Boxes.removeSmall(boxes, 1e-3f));
    }

    @Test
    void selectAndArea() {
        float[] boxes = {0, 0, 2, 3, 1, 1, 4, 5};
        assertArrayEquals(new float[] {1, 1, 4, 5, 0, 0, 2, 3, 1, 1, 4, 5}, Boxes.select(boxes, new int[] {1, 0, 1}),
                0f);
        assertArrayEquals(new float[] {6, 12}, Boxes.area(boxes), 0f);
        assertThrows(IndexOutOfBoundsException.class, () -> Boxes.select(boxes, new int[] {2}));
        assertThrows(IllegalArgumentException.class, () -> Boxes.area(new float[] {1, 2, 3}));
    }
}
