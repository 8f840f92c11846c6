package ai.wsbcn.pretrained.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Hand-computed ranks of the true class, as torch's topk orders scores (ties: lower index first; NaN highest). */
class ScoreRanksTest {

    @Test
    void ranksFollowTorchTopkOrder() {
        float[] s = {0.1f, 0.7f, 0.7f, 0.2f, /* second sample */ 3f, 1f, 2f, 0f};
        assertEquals(0, ScoreRanks.rankOf(s, 0, 4, 1), "top score, tie broken by index");
        assertEquals(1, ScoreRanks.rankOf(s, 0, 4, 2), "the tie's later index ranks second");
        assertEquals(3, ScoreRanks.rankOf(s, 0, 4, 0));
        assertEquals(1, ScoreRanks.rankOf(s, 4, 4, 2), "offset: the second sample's scores");
    }

    @Test
    void aNanScoreIsNeverCorrect() {
        float nan = Float.NaN;
        // a diverged model: the true class's NaN used to compare false with everything and rank first
        assertEquals(Integer.MAX_VALUE, ScoreRanks.rankOf(new float[] {nan, nan, nan}, 0, 3, 1));
        assertEquals(Integer.MAX_VALUE, ScoreRanks.rankOf(new float[] {0f, nan, 1f}, 0, 3, 1));
        // another class's NaN ranks above the true class, as torch's topk puts NaN first
        assertEquals(1, ScoreRanks.rankOf(new float[] {nan, 5f, 1f}, 0, 3, 1));
    }
}
