package ai.wsbcn.detection.train;

import ai.wsbcn.detection.data.CocoSamples;
import ai.wsbcn.detection.transforms.DetectionSample;
import ai.wsbcn.norm.train.EpochOrder;
import ai.wsbcn.util.Seeds;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Which images a micro-batch trains on, and its random generator, as pure functions of (seed, micro-batch index):
 * image {@code t = micro * imagesPerBatch + i} of the run is position {@code t % size} of epoch {@code t / size}'s
 * seeded shuffle ({@link EpochOrder}). A resumed run therefore sees exactly the images, flips and sampler draws of an
 * uninterrupted one.
 */
final class MicroBatchSampler {

    private final CocoSamples data;
    private final long seed;
    private final int imagesPerBatch;
    private final EpochOrder order;

    MicroBatchSampler(CocoSamples data, long seed, int imagesPerBatch) {
        this.data = data;
        this.seed = seed;
        this.imagesPerBatch = imagesPerBatch;
        this.order = new EpochOrder(seed, data.size());
    }

    /** The images of micro-batch {@code micro} (counted from the start of the run). */
    List<DetectionSample> samples(long micro) {
        List<DetectionSample> samples = new ArrayList<>(imagesPerBatch);
        for (int i = 0; i < imagesPerBatch; i++) {
            samples.add(data.get(order.index(micro * imagesPerBatch + i)));
        }
        return samples;
    }

    /** The generator of micro-batch {@code micro}'s flips and the detector's sampling. */
    Random random(long micro) {
        return new Random(Seeds.murmurMix(seed * 0x9E3779B97F4A7C15L + micro));
    }

    /** Epoch {@code epoch}'s shuffle of the data's indices. */
    int[] order(long epoch) {
        return order.order(epoch);
    }
}
