package ai.wsbcn.detection.box;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * torchvision BoxCoder references (box_coder.npz, float32). Tolerances: deltas 1e-5 absolute (values O(1..10));
 * decoded boxes 2e-4 absolute (coordinates up to ~1e4 px after the clamped exp, where a float32 ulp is ~1e-3:
 * checked relative 2e-7 of the magnitude as well); the round trip reproduces the gt within 1e-3 px, as torchvision's
 * own round trip does (the manifest records 6.1e-5).
 */
class BoxCoderTest {

    private static void check(String prefix, BoxCoder coder) {
        OpsReference.with("box_coder.npz", ref -> {
            float[] proposals = ref.floats("proposals");
            float[] gt = ref.floats("gt_boxes");
            float[] enc = coder.encode(proposals, gt);
            double encErr = OpsReference.maxAbs(enc, ref.floats(prefix + "__encoded"));
            assertTrue(encErr <= 1e-5, prefix + " encode max abs error " + encErr);

            float[] decoded = coder.decode(ref.floats(prefix + "__rel_codes"), proposals);
            float[] expected = ref.floats(prefix + "__decoded");
            for (int i = 0; i < expected.length; i++) {
                double d = Math.abs(decoded[i] - expected[i]);
                assertTrue(d <= 2e-4 + 2e-7 * Math.abs(expected[i]),
                        prefix + " decode index " + i + ": " + decoded[i] + " vs " + expected[i]);
            }
            float[] round = coder.decode(enc, proposals);
            double rtRef = OpsReference.maxAbs(round, ref.floats(prefix + "__roundtrip"));
            assertTrue(rtRef <= 2e-4, prefix + " round trip vs torchvision's " + rtRef);
            double rtGt = OpsReference.maxAbs(round, gt);
            assertTrue(rtGt <= 1e-3, prefix + " round trip vs gt " + rtGt);
        });
    }

    @Test
    void rpnWeights() {
        check("w1111", new BoxCoder(1, 1, 1, 1));
    }

    @Test
    void boxHeadWeights() {
        check("w101055", new BoxCoder(10, 10, 5, 5));
    }
}
