package ai.wsbcn.pretrained.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class AbSwitchTest {

    @Test
    void aBarePropertyIsTrueAgainstFalse() {
        AbSwitch s = AbSwitch.parse("wsbcn.norm.hostWs");
        assertEquals("wsbcn.norm.hostWs", s.property());
        assertEquals("true", s.value(true));
        assertEquals("false", s.value(false));
        assertEquals("-Dwsbcn.norm.hostWs=true (on) against false (off)", s.toString());
    }

    @Test
    void valuesAfterTheEqualsSignAreOnThenOff() {
        AbSwitch s = AbSwitch.parse(" wsbcn.norm.fusedGroupAffineMinElements=0, 1000000000000 ");
        assertEquals("wsbcn.norm.fusedGroupAffineMinElements", s.property());
        assertEquals("0", s.value(true));
        assertEquals("1000000000000", s.value(false));
    }

    @Test
    void malformedSpecsNameTheExpectedForms() {
        for (String bad : new String[] {"", "-Dx=true", "x=1", "x=1,2,3", "a b", "x=,1"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> AbSwitch.parse(bad), bad);
            assertTrue(e.getMessage().contains("PROPERTY=ON,OFF") && e.getMessage().contains("'" + bad + "'"),
                    e.getMessage());
        }
        assertThrows(NullPointerException.class, () -> new AbSwitch("x", null, "1"));
    }
}
