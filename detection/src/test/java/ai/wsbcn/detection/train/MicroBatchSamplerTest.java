package ai.wsbcn.detection.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.wsbcn.detection.data.CocoSamples;
import ai.wsbcn.detection.data.synthetic.SyntheticShapes;
import ai.wsbcn.detection.transforms.DetectionSample;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/** The image order of a run as a function of (seed, micro-batch index), across epoch boundaries. */
class MicroBatchSamplerTest {

    @TempDir
    static Path dir;
    static CocoSamples data;

    @BeforeAll
    static void makeData() throws Exception {
        SyntheticShapes.Layout layout = DetectionTrainerTest.data(dir);
        data = CocoSamples.open(layout.imageDir(SyntheticShapes.Split.TRAIN),
                layout.annotations(SyntheticShapes.Split.TRAIN), false, true);
    }

    @Test
    void eachEpochIsASeededShuffleOfEveryImage() {
        MicroBatchSampler s = new MicroBatchSampler(data, 3, 1);
        int[] e0 = s.order(0).clone();
        int[] e1 = s.order(1).clone();
        int[] sorted = e0.clone();
        Arrays.sort(sorted);
        int[] all = new int[data.size()];
        Arrays.setAll(all, i -> i);
        assertArrayEquals(all, sorted);
        assertArrayEquals(e0, new MicroBatchSampler(data, 3, 1).order(0), "same seed, same shuffle");
        assertArrayEquals(e0, s.order(0), "asking again after another epoch");
        boolean differs = !Arrays.equals(e0, e1);
        for (long seed = 4; !differs && seed < 10; seed++) {
            differs = !Arrays.equals(new MicroBatchSampler(data, seed, 1).order(0), e0);
        }
        assertTrue(differs, "epochs or seeds give other orders");
    }

    @Test
    void microBatchesRunThroughEpochsInOrder() {
        int size = data.size();
        assertEquals(4, size, "the synthetic training split");
        MicroBatchSampler s = new MicroBatchSampler(data, 3, 3);
        // micro-batch 1 holds images 3, 4, 5 of the run: the last of epoch 0, then the first two of epoch 1
        List<DetectionSample> got = s.samples(1);
        long[] want = {data.get(s.order(0)[3]).imageId(), data.get(s.order(1)[0]).imageId(),
                data.get(s.order(1)[1]).imageId()};
        assertEquals(3, got.size());
        assertArrayEquals(want, got.stream().mapToLong(DetectionSample::imageId).toArray());
        assertEquals(s.random(7).nextLong(), new MicroBatchSampler(data, 3, 3).random(7).nextLong());
    }
}
