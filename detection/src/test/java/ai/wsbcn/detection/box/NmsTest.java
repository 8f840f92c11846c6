package ai.wsbcn.detection.box;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/** Exact keep lists of torchvision.ops.nms / batched_nms (nms.npz; extra_ops.npz for the per-class loop path). */
class NmsTest {

    @Test
    void nmsKeepListsEqualTorchvision() {
        OpsReference.with("nms.npz", ref -> {
            float[] boxes = ref.floats("boxes");
            float[] scores = ref.floats("scores");
            for (String t : new String[] {"0.5", "0.7"}) {
                assertArrayEquals(ref.ints("keep_nms_" + t), Nms.nms(boxes, scores, Float.parseFloat(t)), "nms " + t);
            }
            float[] edge = ref.floats("edge_boxes");
            float[] edgeScores = ref.floats("edge_scores");
            assertArrayEquals(ref.ints("edge_keep_nms_0.5"), Nms.nms(edge, edgeScores, 0.5f), "edge 0.5 (strict >)");
            assertArrayEquals(ref.ints("edge_keep_nms_0.7"), Nms.nms(edge, edgeScores, 0.7f), "edge 0.7");
        });
    }

    @Test
    void batchedNmsKeepListsEqualTorchvision() {
        OpsReference.with("nms.npz", ref -> {
            float[] boxes = ref.floats("boxes");
            float[] scores = ref.floats("scores");
            int[] groups = ref.ints("idxs");
            for (String t : new String[] {"0.5", "0.7"}) {
                assertArrayEquals(ref.ints("keep_batched_" + t),
                        Nms.batchedNms(boxes, scores, groups, Float.parseFloat(t)), "batched " + t);
            }
        });
    }

    @Test
    void batchedNmsLargeInputUsesPerClassLoopLikeTorchvision() {
        OpsReference.with("extra_ops.npz", ref -> assertArrayEquals(ref.ints("big_keep_batched_0.5"),
                Nms.batchedNms(ref.floats("big_boxes"), ref.floats("big_scores"), ref.ints("big_idxs"), 0.5f),
                "batched nms on 1500 boxes (> 4000 coordinates)"));
    }

    @Test
    void thresholdIsTheDecimalTheCallerWrote() {
        // IoU(A, B) = 30/100 rounds to the float 0.3f = 0.30000001 > 0.3: torchvision (threshold as a double 0.3)
        // suppresses B; comparing against 0.3f would keep it (checked with torchvision 0.14: nms -> [0]).
        float[] ab = {0, 0, 10, 10, 0, 0, 10, 3};
        assertArrayEquals(new int[] {0}, Nms.nms(ab, new float[] {0.9f, 0.8f}, 0.3f));
        OpsReference.with("nms.npz", boxes -> OpsReference.with("extra_ops.npz", ref -> assertArrayEquals(
                ref.ints("keep_nms_0.3"), Nms.nms(boxes.floats("boxes"), boxes.floats("scores"), 0.3f), "nms 0.3")));
    }

    @Test
    void emptyInput() {
        assertArrayEquals(new int[0], Nms.nms(new float[0], new float[0], 0.5f));
        assertArrayEquals(new int[0], Nms.batchedNms(new float[0], new float[0], new int[0], 0.5f));
    }
}
