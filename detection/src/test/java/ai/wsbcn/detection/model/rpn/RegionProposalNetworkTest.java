package ai.wsbcn.detection.model.rpn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.wsbcn.detection.model.DetectorConfig;
import ai.wsbcn.norm.testing.TestEngines;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** torchvision's filter_proposals on a hand case: top-k per level, decode, clip, small removal, NMS per level. */
class RegionProposalNetworkTest {

    private static float sigmoid(double x) {
        return (float) (1 / (1 + Math.exp(-x)));
    }

    @Test
    void filterProposalsHandCase() {
        RegionProposalNetwork rpn = new RegionProposalNetwork(DetectorConfig.builder().build(), 8);
        // level 0: a0 [0,0,10,10] logit 3; a1 thin (w 5e-4 < 1e-3) logit 2.5; a2 overlaps a0 (IoU .82) logit 2;
        // a3 logit -1 is not in the top 3.
        float[] anchors0 = {0, 0, 10, 10, 20, 20, 20.0005f, 30, 0.5f, 0.5f, 10.5f, 10.5f, 40, 40, 50, 50};
        float[] logits0 = {3, 2.5f, 2, -1};
        float[] deltas0 = new float[16];
        // level 1: b0 equals a0 (another level: not suppressed by it), b1 crosses the image border and is moved
        // by dx = 0.1 (0.1 * width 25 = 2.5 px) before clipping to the 50x60 image.
        float[] anchors1 = {0, 0, 10, 10, -5, 30, 20, 70};
        float[] logits1 = {0.5f, 4};
        float[] deltas1 = {0, 0, 0, 0, 0.1f, 0, 0, 0};
        float[][] out = rpn.filterProposals(new float[][] {logits0, logits1}, new float[][] {deltas0, deltas1},
                new float[][] {anchors0, anchors1}, 50, 60, 3, 10);
        assertArrayEquals(new float[] {0, 30, 22.5f, 50, 0, 0, 10, 10, 0, 0, 10, 10}, out[0], 1e-5f);
        assertArrayEquals(new float[] {sigmoid(4), sigmoid(3), sigmoid(0.5)}, out[1], 1e-6f);
        // post-NMS top 2 keeps the best two
        float[][] two = rpn.filterProposals(new float[][] {logits0, logits1}, new float[][] {deltas0, deltas1},
                new float[][] {anchors0, anchors1}, 50, 60, 3, 2);
        assertArrayEquals(new float[] {0, 30, 22.5f, 50, 0, 0, 10, 10}, two[0], 1e-5f);
        // pre-NMS top 1 per level: a0 and b1 only
        float[][] one = rpn.filterProposals(new float[][] {logits0, logits1}, new float[][] {deltas0, deltas1},
                new float[][] {anchors0, anchors1}, 50, 60, 1, 10);
        assertEquals(2, one[1].length);
    }

    @Test
    void topKIsDescending() {
        assertArrayEquals(new int[] {3, 0, 2}, RegionProposalNetwork.topK(new float[] {5, 1, 4, 9, 2}, 3));
        assertArrayEquals(new int[] {1, 0}, RegionProposalNetwork.topK(new float[] {1, 2}, 5));
        assertArrayEquals(new int[] {2, 3, 0, 1, 4}, RegionProposalNetwork.topK(new float[] {-1, -2, 3, 3, -2.5f}, 5));
    }

    /** The host layout of the head outputs equals the flattened NDArray layout the losses use: (y, x, anchor). */
    @ParameterizedTest
    @MethodSource("ai.wsbcn.norm.testing.TestEngines#names")
    void hostAndDeviceLayoutsAgree(String engine) {
        try (NDManager m = TestEngines.manager(engine)) {
            int n = 2;
            int a = 3;
            NDArray logits = m.arange((float) n * a * 4 * 5).reshape(n, a, 4, 5);
            NDArray deltas = m.arange((float) n * a * 4 * 4 * 5).reshape(n, 4 * a, 4, 5);
            float[][] hl = RegionProposalNetwork.hostLogits(logits, n);
            float[][] hd = RegionProposalNetwork.hostDeltas(deltas, n);
            float[] fl = RegionProposalNetwork.flattenLogits(logits, n).toFloatArray();
            float[] fd = RegionProposalNetwork.flattenDeltas(deltas, n).toFloatArray();
            assertEquals(new Shape(n, 60, 4), RegionProposalNetwork.flattenDeltas(deltas, n).getShape());
            for (int i = 0; i < n; i++) {
                assertArrayEquals(hl[i], java.util.Arrays.copyOfRange(fl, i * 60, (i + 1) * 60));
                assertArrayEquals(hd[i], java.util.Arrays.copyOfRange(fd, i * 240, (i + 1) * 240));
            }
            // anchor k at (y, x): logits[i, k, y, x]; e.g. image 1, y 2, x 3, k 1
            assertEquals(logits.getFloat(1, 1, 2, 3), hl[1][(2 * 5 + 3) * a + 1]);
            // its dy (coordinate 1) is channel 4k + 1
            assertEquals(deltas.getFloat(1, 4 + 1, 2, 3), hd[1][((2 * 5 + 3) * a + 1) * 4 + 1]);
        }
    }
}
