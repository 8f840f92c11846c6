package ai.wsbcn.detection.model.anchors;

import ai.wsbcn.detection.box.OpsReference;

import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** torchvision AnchorGenerator for FPN on an 800x1088 image (anchors_fpn_800x1088.npz): exact (integers). */
class AnchorGeneratorTest {

    @Test
    void fpnAnchorsEqualTorchvision() {
        OpsReference.with("anchors_fpn_800x1088.npz", ref -> {
            AnchorGenerator gen = AnchorGenerator.fpnDefault();
            assertEquals(3, gen.anchorsPerLocation());
            int[] grid = ref.ints("grid_sizes");
            int[] strides = ref.ints("strides");
            int[] perLevel = ref.ints("num_anchors_per_level");
            float[] expected = ref.floats("anchors");
            int offset = 0;
            for (int l = 0; l < 5; l++) {
                assertArrayEquals(ref.floats("cell_anchors_" + l), gen.cellAnchors(l), 0f, "cell anchors " + l);
                // torchvision's stride is image // grid: 800 // 13 = 61 on P6
                assertEquals(800 / grid[2 * l], strides[2 * l]);
                assertEquals(1088 / grid[2 * l + 1], strides[2 * l + 1]);
                float[] a = gen.anchors(l, grid[2 * l], grid[2 * l + 1], strides[2 * l], strides[2 * l + 1]);
                assertEquals(perLevel[l] * 4, a.length, "level " + l + " count");
                assertArrayEquals(Arrays.copyOfRange(expected, offset, offset + a.length), a, 0f, "level " + l);
                offset += a.length;
            }
            assertEquals(expected.length, offset);
        });
    }

    @Test
    void ratiosAreHeightOverWidthAndRoundedHalfToEven() {
        AnchorGenerator gen = new AnchorGenerator(new float[][] {{16, 32}}, new float[] {0.5f, 2f});
        // ratio 0.5: w = 16*sqrt(2) = 22.63 -> +-11.31 -> 11; h = 16/sqrt(2) = 11.31 -> +-5.66 -> 6
        // size 32: w 45.25 -> 22.63 -> 23, h 22.63 -> 11.31 -> 11
        assertArrayEquals(new float[] {-11, -6, 11, 6, -23, -11, 23, 11, -6, -11, 6, 11, -11, -23, 11, 23},
                gen.cellAnchors(0), 0f);
        assertEquals(4, gen.anchorsPerLocation());
        float[] a = new AnchorGenerator(new float[][] {{1}}, new float[] {1f}).cellAnchors(0);
        assertArrayEquals(new float[] {-0f, -0f, 0f, 0f}, a, 0f, "+-0.5 rounds half to even: 0");
    }
}
