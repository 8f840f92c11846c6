package ai.wsbcn.norm.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

import java.util.Arrays;

class EpochOrderTest {

    @Test
    void everyEpochVisitsEveryItemOnceInASeededOrder() {
        EpochOrder o = new EpochOrder(7, 10);
        int[] e0 = o.order(0).clone();
        int[] e1 = o.order(1).clone();
        for (int[] e : new int[][] {e0, e1}) {
            int[] sorted = e.clone();
            Arrays.sort(sorted);
            assertArrayEquals(new int[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, sorted);
        }
        assertFalse(Arrays.equals(e0, e1), "two epochs, two orders");
        assertFalse(Arrays.equals(e0, new EpochOrder(8, 10).order(0)), "two seeds, two orders");
        assertArrayEquals(e0, new EpochOrder(7, 10).order(0), "same seed, same order");
        assertArrayEquals(e0, o.order(0), "asked again after another epoch");
    }

    @Test
    void itemsOfTheRunRunThroughTheEpochs() {
        EpochOrder o = new EpochOrder(3, 4);
        EpochOrder fresh = new EpochOrder(3, 4);
        // item 5 of the run is position 1 of epoch 1, whatever was asked before
        assertEquals(fresh.order(1)[1], o.index(5));
        assertEquals(fresh.order(0)[3], o.index(3));
        assertEquals(fresh.order(2)[0], o.index(8));
        assertThrows(IllegalArgumentException.class, () -> new EpochOrder(1, 0));
    }
}
