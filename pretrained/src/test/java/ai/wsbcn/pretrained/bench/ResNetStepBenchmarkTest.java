package ai.wsbcn.pretrained.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.wsbcn.norm.testing.TestEngines;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The interleaved step benchmark: its statistics on hand-computed cases, and its timing loop on both engines. */
class ResNetStepBenchmarkTest {

    @Test
    void perRoundRatiosAndMedians() {
        assertArrayEquals(new double[] {2.0, 0.5, 1.25}, ResNetStepBenchmark.ratios(new double[] {2, 1, 5},
                new double[] {1, 2, 4}), 0);
        assertEquals(3.0, ResNetStepBenchmark.median(new double[] {5, 1, 3}), 0);
        assertEquals(2.5, ResNetStepBenchmark.median(new double[] {4, 1, 3, 2}), 0);
    }

    @Test
    void reportComparesEachRoundWithGnAndChecksTheTargets() {
        Map<String, double[]> s = new LinkedHashMap<>();
        s.put("frozen-bn", new double[] {0.5, 0.5, 0.5});
        s.put("gn", new double[] {1.0, 2.0, 1.0});
        // per-round ratios 1.04, 1.04, 1.10 -> median 1.04 (met); a ratio of medians would give 1.10
        s.put("gn+ws", new double[] {1.04, 2.08, 1.10});
        // per-round ratios 1.20, 1.10, 1.30 -> median 1.20 (not met)
        s.put("bcn+ws", new double[] {1.2, 2.2, 1.3});
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ResNetStepBenchmark.report(s, 2, 224, new PrintStream(bytes, true, StandardCharsets.UTF_8));
        String[] lines = bytes.toString(StandardCharsets.UTF_8).split("\n");
        assertEquals("2x3x224x224", lines[1]);
        assertTrue(lines[4].startsWith("gn        ") && lines[4].contains("1.000 [1.000-2.000]")
                && lines[4].contains("2.00x"), lines[4]);
        assertTrue(lines[5].contains("1.04x [1.04-1.10] target 1.05x met"), lines[5]);
        assertTrue(lines[6].contains("1.20x [1.10-1.30] target 1.15x NOT met"), lines[6]);
    }

    @Test
    void abReportPairsEachNormsTwoSettingsRoundByRound() {
        Map<String, double[]> s = new LinkedHashMap<>();
        s.put(ResNetStepBenchmark.abKey("gn+ws", true), new double[] {1.0, 2.0, 0.9});
        // per-round on/off 1.0/1.25 = 0.8, 2.0/2.0 = 1.0, 0.9/1.0 = 0.9 -> median 0.900
        s.put(ResNetStepBenchmark.abKey("gn+ws", false), new double[] {1.25, 2.0, 1.0});
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ResNetStepBenchmark.reportAb(s, 1, 224, AbSwitch.parse("wsbcn.norm.hostWs"), new PrintStream(bytes, true,
                StandardCharsets.UTF_8));
        String[] lines = bytes.toString(StandardCharsets.UTF_8).split("\n");
        assertEquals("1x3x224x224, -Dwsbcn.norm.hostWs=true (on) against false (off), same model", lines[1]);
        assertEquals(4, lines.length, String.join("\n", lines));
        assertTrue(lines[3].startsWith("gn+ws") && lines[3].contains("1.000 [0.900-2.000]")
                && lines[3].contains("1.250 [1.000-2.000]") && lines[3].contains("0.900x [0.800-1.000]"), lines[3]);
    }

    /**
     * Every step sets the property to its slot's value: with one warm-up and two rounds of two slots the values set
     * are on, off (warm-up), then on, off and off, on (the order rotates per round), then the old value restored.
     */
    @Test
    void abModeStepsEachModelUnderBothSettingsAndRestoresTheProperty() {
        String property = "wsbcn.test.abProbe";
        java.util.Properties original = System.getProperties();
        List<String> set = new java.util.ArrayList<>();
        java.util.Properties recording = new java.util.Properties() {
            @Override
            public synchronized Object setProperty(String key, String value) {
                if (property.equals(key)) {
                    set.add(value);
                }
                return super.setProperty(key, value);
            }
        };
        recording.putAll(original);
        System.setProperties(recording);
        System.setProperty(property, "before");
        try (NDManager m = TestEngines.manager(TestEngines.names().findFirst().orElseThrow())) {
            Map<String, double[]> s = new ResNetStepBenchmark("resnet8", 2, 1, List.of("gn"),
                    AbSwitch.parse(property + "=1,2"))
                    .time(m, 1, 32);
            assertEquals(List.of("gn [on]", "gn [off]"), List.copyOf(s.keySet()));
            for (double[] t : s.values()) {
                assertEquals(2, t.length);
                assertTrue(t[0] > 0 && t[1] > 0);
            }
            assertEquals(List.of("before", "1", "2", "1", "2", "2", "1", "before"), set);
            assertEquals("before", System.getProperty(property));
        } finally {
            System.setProperties(original);
            System.clearProperty(property);
        }
    }

    @Test
    void badSettingsFailBeforeAnyModelIsBuilt() {
        assertThrows(IllegalArgumentException.class, () -> new ResNetStepBenchmark("resnet8", 2, 0,
                List.of("gn", "gn+wx")));
        assertThrows(IllegalArgumentException.class, () -> new ResNetStepBenchmark("resnet8", 0, 0, List.of("gn")));
    }

    @ParameterizedTest
    @MethodSource("ai.wsbcn.norm.testing.TestEngines#names")
    void timesEveryNormInEveryRound(String engine) {
        try (NDManager m = TestEngines.manager(engine)) {
            Map<String, double[]> s = new ResNetStepBenchmark("resnet8", 2, 1, List.of("gn", "bcn+ws"))
                    .time(m, 1, 32);
            assertEquals(List.of("gn", "bcn+ws"), List.copyOf(s.keySet()));
            for (double[] t : s.values()) {
                assertEquals(2, t.length);
                for (double v : t) {
                    assertTrue(v > 0 && v < 60, "step seconds " + v);
                }
            }
        }
    }
}
