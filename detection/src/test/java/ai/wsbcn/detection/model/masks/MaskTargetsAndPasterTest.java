package ai.wsbcn.detection.model.masks;

import ai.wsbcn.detection.box.OpsReference;

import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * masks.npz: torchvision project_masks_on_boxes (28x28 targets, 1e-5 absolute) and paste_masks_in_image (expanded
 * integer boxes exact; probabilities 1e-5 absolute; the binary mask at 0.5 exact away from values within 1e-5 of
 * the threshold).
 */
class MaskTargetsAndPasterTest {

    private static final int H = 120;
    private static final int W = 160;

    @Test
    void projectionEqualsTorchvision() {
        OpsReference.with("masks.npz", ref -> {
            float[] gt = ref.floats("gt_masks");
            float[] proposals = ref.floats("proposals");
            int[] matched = ref.ints("matched_idxs");
            float[] expected = ref.floats("projected");
            for (int i = 0; i < matched.length; i++) {
                byte[] mask = new byte[H * W];
                for (int p = 0; p < mask.length; p++) {
                    mask[p] = gt[matched[i] * H * W + p] > 0.5f ? (byte) 1 : 0;
                }
                float[] t = MaskTargets.project(mask, H, W, Arrays.copyOfRange(proposals, 4 * i, 4 * i + 4), 28);
                double err = OpsReference.maxAbs(Arrays.copyOfRange(expected, i * 784, (i + 1) * 784), t);
                assertTrue(err <= 1e-5, "proposal " + i + " error " + err);
            }
        });
    }

    @Test
    void pastingEqualsTorchvision() {
        OpsReference.with("masks.npz", ref -> {
            float[] masks = ref.floats("masks");
            float[] boxes = ref.floats("boxes");
            int[] expanded = ref.ints("expanded_boxes_int");
            float[] pasted = ref.floats("pasted");
            for (int i = 0; i < 5; i++) {
                float[] box = Arrays.copyOfRange(boxes, 4 * i, 4 * i + 4);
                float[] probs = Arrays.copyOfRange(masks, i * 784, (i + 1) * 784);
                long[] e = MaskPaster.expandedBox(box, 28);
                for (int j = 0; j < 4; j++) {
                    assertEquals(expanded[4 * i + j], e[j], "box " + i + " expanded coordinate " + j);
                }
                float[] p = MaskPaster.pasteProbabilities(probs, 28, box, H, W);
                float[] want = Arrays.copyOfRange(pasted, i * H * W, (i + 1) * H * W);
                double err = OpsReference.maxAbs(want, p);
                assertTrue(err <= 1e-5, "mask " + i + " probability error " + err);
                byte[] bin = MaskPaster.paste(probs, 28, box, H, W, 0.5f);
                int ones = 0;
                for (int q = 0; q < bin.length; q++) {
                    if (Math.abs(want[q] - 0.5f) > 1e-5f) {
                        assertEquals(want[q] > 0.5f ? 1 : 0, bin[q], "mask " + i + " pixel " + q);
                    }
                    ones += bin[q];
                }
                assertTrue(ones > 0, "mask " + i + " pastes something");
            }
        });
    }

    @Test
    void handCaseFullMaskFillsTheExpandedBoxClippedToImage() {
        float[] ones = new float[4];
        Arrays.fill(ones, 1f);
        // box (2,2,6,6), m=2 -> scale 2: expanded (0,0,8,8) -> 9x9 pixels; padded 4x4 ring of zeros resized to 9x9
        byte[] mask = MaskPaster.paste(ones, 2, new float[] {2, 2, 6, 6}, 6, 7, 0.5f);
        assertArrayEquals(new long[] {0, 0, 8, 8}, MaskPaster.expandedBox(new float[] {2, 2, 6, 6}, 2));
        // interior of the resized mask is 1 (centre pixels), the border ring of the 9x9 is < 0.5
        assertEquals(1, mask[4 * 7 + 4]);
        assertEquals(0, mask[0]);
        assertEquals(6 * 7, mask.length);
    }
}
