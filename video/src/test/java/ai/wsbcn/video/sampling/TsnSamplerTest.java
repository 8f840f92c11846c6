package ai.wsbcn.video.sampling;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Indices worked out by hand from the TSM code's formulas (1-based frame numbers). */
class TsnSamplerTest {

    @Test
    void testIndicesAreSegmentCentres() {
        TsnSampler s = new TsnSampler(8);
        // 40 frames: tick 5 -> int(2.5 + 5k) = 2, 7, 12, ... plus 1
        assertArrayEquals(new int[] {3, 8, 13, 18, 23, 28, 33, 38}, s.testIndices(40));
        // 30 frames: tick 3.75 -> int(1.875 + 3.75k) = 1, 5, 9, 13, 16, 20, 24, 28 plus 1
        assertArrayEquals(new int[] {2, 6, 10, 14, 17, 21, 25, 29}, s.testIndices(30));
        // 4 frames (shorter than the clip): tick 0.5 -> int(0.25 + 0.5k) = 0,0,1,1,2,2,3,3 plus 1
        assertArrayEquals(new int[] {1, 1, 2, 2, 3, 3, 4, 4}, s.testIndices(4));
        assertArrayEquals(new int[] {1, 1, 1, 1, 1, 1, 1, 1}, s.testIndices(1));
    }

    /**
     * Printed by the TSM code's {@code _get_test_indices} (numpy, Python floats) for these (segments, frames); the same
     * for every length 1..300 at 1, 3, 8 and 16 segments, checked once side by side.
     */
    @Test
    void testIndicesEqualTsmsGetTestIndices() {
        assertArrayEquals(new int[] {2, 6, 9}, new TsnSampler(3).testIndices(10));
        assertArrayEquals(new int[] {17, 51, 84}, new TsnSampler(3).testIndices(100));
        assertArrayEquals(new int[] {1, 2, 3, 4, 4, 5, 6, 7}, new TsnSampler(8).testIndices(7));
        assertArrayEquals(new int[] {19, 57, 94, 132, 169, 207, 244, 282}, new TsnSampler(8).testIndices(300));
        assertArrayEquals(new int[] {1, 1, 1, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 5, 5, 5}, new TsnSampler(16).testIndices(5));
        assertArrayEquals(new int[] {2, 4, 6, 9, 11, 13, 16, 18, 20, 22, 25, 27, 29, 32, 34, 36},
                new TsnSampler(16).testIndices(37));
        assertArrayEquals(new int[] {8, 24, 40, 55, 71, 86, 102, 118, 133, 149, 165, 180, 196, 211, 227, 243},
                new TsnSampler(16).testIndices(250));
    }

    @Test
    void trainIndicesFallInTheirSegmentAndCoverIt() {
        TsnSampler s = new TsnSampler(8);
        SplittableRandom r = new SplittableRandom(3);
        int n = 43; // duration 43 / 8 = 5: segment k covers frames 5k+1 .. 5k+5; frames 41..43 never used
        boolean[][] seen = new boolean[8][5];
        for (int trial = 0; trial < 400; trial++) {
            int[] idx = s.trainIndices(n, r);
            for (int k = 0; k < 8; k++) {
                int off = idx[k] - 1 - 5 * k;
                assertTrue(off >= 0 && off < 5, "segment " + k + " got frame " + idx[k]);
                seen[k][off] = true;
            }
        }
        for (int k = 0; k < 8; k++) {
            for (int o = 0; o < 5; o++) {
                assertTrue(seen[k][o], "frame " + (5 * k + o + 1) + " never drawn");
            }
        }
    }

    @Test
    void shortVideosGetSortedValidFrames() {
        TsnSampler s = new TsnSampler(8);
        SplittableRandom r = new SplittableRandom(5);
        for (int trial = 0; trial < 50; trial++) {
            int[] idx = s.trainIndices(5, r);
            for (int k = 0; k < 8; k++) {
                assertTrue(idx[k] >= 1 && idx[k] <= 5);
                assertTrue(k == 0 || idx[k] >= idx[k - 1], "not sorted");
            }
        }
        assertArrayEquals(new int[] {1, 1, 1, 1, 1, 1, 1, 1}, s.trainIndices(1, r));
    }
}
