package ai.wsbcn.norm.train;

import ai.wsbcn.util.Seeds;

import java.util.Random;

/**
 * The order in which a run visits a data set of {@code size} items: each epoch a seeded shuffle, so that item number
 * {@code t} of the run (counted over all epochs) is a pure function of (seed, t). A resumed run that knows how many
 * items it has consumed continues with exactly the items an uninterrupted run would have seen.
 */
public final class EpochOrder {

    private final long seed;
    private final int size;
    // the shuffle of the epoch last asked for: consecutive items share it
    private long cachedEpoch = -1;
    private int[] cachedOrder;

    public EpochOrder(long seed, int size) {
        if (size <= 0) {
            throw new IllegalArgumentException("a data set to visit needs at least one item, got " + size);
        }
        this.seed = seed;
        this.size = size;
    }

    /** The data-set index of item {@code t} of the run. */
    public synchronized int index(long t) {
        return order(t / size)[(int) (t % size)];
    }

    /** Epoch {@code epoch}'s shuffle of {@code 0..size-1} (do not modify it). */
    public synchronized int[] order(long epoch) {
        if (epoch != cachedEpoch) {
            cachedOrder = Seeds.shuffledIndices(size,
                    new Random(Seeds.murmurMix(seed ^ (epoch * 0xBF58476D1CE4E5B9L))));
            cachedEpoch = epoch;
        }
        return cachedOrder;
    }
}
