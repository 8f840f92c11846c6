package ai.wsbcn.detection.model.matcher;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Counts and determinism of torchvision's balanced positive/negative sampling (exact). */
class BalancedSamplerTest {

    @Test
    void fewPositivesAreAllTakenAndNegativesFillTheBatch() {
        int[] labels = new int[1000];
        Arrays.fill(labels, 0);
        labels[3] = 1;
        labels[500] = 7;
        labels[999] = 2;
        labels[10] = -1;
        labels[11] = -1;
        BalancedSampler.Sample s = new BalancedSampler(256, 0.5f).sample(labels, new Random(1));
        assertArrayEquals(new int[] {3, 500, 999}, s.positives());
        assertEquals(253, s.negatives().length, "256 - 3 positives");
        for (int i : s.negatives()) {
            assertEquals(0, labels[i]);
        }
        assertEquals(253, new HashSet<>(Arrays.stream(s.negatives()).boxed().toList()).size(), "no repeats");
    }

    @Test
    void positivesCappedAtFractionAndNegativesCappedAtAvailable() {
        int[] labels = new int[600];
        for (int i = 0; i < 600; i++) {
            labels[i] = i < 400 ? 1 : i < 450 ? 0 : -1;
        }
        BalancedSampler.Sample s = new BalancedSampler(512, 0.25f).sample(labels, new Random(2));
        assertEquals(128, s.positives().length);
        assertEquals(50, s.negatives().length, "only 50 negatives exist (< 512 - 128)");
        BalancedSampler.Sample rpn = new BalancedSampler(256, 0.5f).sample(labels, new Random(2));
        assertEquals(128, rpn.positives().length);
        assertEquals(50, rpn.negatives().length);
        for (int i : s.positives()) {
            assertTrue(labels[i] > 0);
        }
    }

    @Test
    void deterministicForASeedAndRandomAcrossSeeds() {
        int[] labels = new int[2000];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = i % 4 == 0 ? 1 : 0;
        }
        BalancedSampler sampler = new BalancedSampler(256, 0.5f);
        BalancedSampler.Sample a = sampler.sample(labels, new Random(42));
        BalancedSampler.Sample b = sampler.sample(labels, new Random(42));
        BalancedSampler.Sample c = sampler.sample(labels, new Random(43));
        assertArrayEquals(a.positives(), b.positives());
        assertArrayEquals(a.negatives(), b.negatives());
        assertNotEquals(Arrays.toString(a.positives()), Arrays.toString(c.positives()));
        assertEquals(128, a.positives().length);
        assertEquals(128, a.negatives().length);
        // roughly uniform: positives drawn from the whole index range
        Set<Integer> halves = new HashSet<>();
        for (int i : a.positives()) {
            halves.add(i < 1000 ? 0 : 1);
        }
        assertEquals(2, halves.size());
    }
}
