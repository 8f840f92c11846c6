package ai.wsbcn.norm.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import ai.wsbcn.util.InvalidInputException;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

class BadInputStopTest {

    @Test
    void savesOnlyWorkNotYetCheckpointedAndSaysSo() throws Exception {
        InvalidInputException bad = new InvalidInputException("a.jpg: not an image");
        List<Long> saves = new ArrayList<>();
        assertSame(bad, BadInputStop.keepWork(bad, 0, 0, saves::add), "nothing trained: nothing to keep");
        InvalidInputException kept = BadInputStop.keepWork(bad, 7, 5, saves::add);
        assertEquals(List.of(7L), saves);
        assertEquals("a.jpg: not an image (training stopped after update 7, which is checkpointed: fix the input"
                + " and continue with --resume)", kept.getMessage());
        BadInputStop.keepWork(bad, 5, 5, saves::add);
        assertEquals(List.of(7L), saves, "update 5 had its checkpoint already");
    }
}
