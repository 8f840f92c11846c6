package ai.wsbcn.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LossWindowTest {

    @Test
    void rowsAverageTheStepsSinceTheLastRow() {
        LossWindow w = new LossWindow(2);
        assertTrue(Double.isNaN(w.first()) && Double.isNaN(w.last()));
        w.add(1.0, 0.25, 0.75);
        w.add(3.0, 1.0, 2.0);
        Object[] r = w.row(2, 0.5f);
        assertEquals(6, r.length);
        assertEquals(2L, r[0]);
        assertEquals(0.5f, r[1]);
        assertEquals(2.0, (double) r[2], 0.0);
        assertEquals(0.625, (double) r[3], 0.0);
        assertEquals(1.375, (double) r[4], 0.0);
        assertTrue((double) r[5] >= 0.0, "seconds per step");
        w.add(5.0, 0.0, 5.0);
        Object[] r2 = w.row(3, 0.5f);
        assertEquals(5.0, (double) r2[2], 0.0, "a new window after each row");
        assertEquals(2.0, w.first(), 0.0);
        assertEquals(5.0, w.last(), 0.0);
    }

    @Test
    void theNumberOfPartsIsChecked() {
        assertThrows(IllegalArgumentException.class, () -> new LossWindow(1).add(1.0));
        new LossWindow(0).add(1.0);
    }
}
