package ai.wsbcn.norm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.wsbcn.norm.testing.TestEngines;

import org.junit.jupiter.api.Test;

/** Hand-computed group counts: auto is min(32, C/4), or the largest divisor of C below it. */
class GroupCountTest {

    @Test
    void autoFollowsThePaperAndNeverFails() {
        assertEquals(32, ChannelParams.resolveGroups(0, 256, "gn"));
        assertEquals(16, ChannelParams.resolveGroups(0, 64, "gn"));
        assertEquals(2, ChannelParams.resolveGroups(0, 8, "gn"));
        assertEquals(1, ChannelParams.resolveGroups(0, 2, "gn"));
        // 136 / 4 = 34 -> min 32, which does not divide 136; 17 is the largest divisor below it
        assertEquals(17, ChannelParams.resolveGroups(0, 136, "gn"));
        assertEquals(16, ChannelParams.resolveGroups(16, 64, "gn"));
        InvalidNormException e = assertThrows(InvalidNormException.class,
                () -> ChannelParams.resolveGroups(7, 64, "gn(7)"));
        assertTrue(e.getMessage().startsWith("gn(7): 64 channels cannot be split into 7 groups"), e.getMessage());
    }

    @Test
    void anAutoGroupNormSaysWhatItResolvedTo() {
        GroupNorm gn = GroupNorm.builder().optGroups(GroupNorm.AUTO_GROUPS).build();
        assertEquals("GroupNorm(groups=auto, eps=1.0E-5)", gn.toString());
        try (NDManager m = TestEngines.manager(TestEngines.MXNET)) {
            gn.initialize(m, DataType.FLOAT32, new Shape(1, 136, 2, 2));
        }
        assertEquals(17, gn.getGroups());
        assertEquals("GroupNorm(groups=auto (17), eps=1.0E-5)", gn.toString());
    }
}
