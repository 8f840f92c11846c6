package ai.wsbcn.util;

/**
 * Seed scramblers for reproducible runs: data order, augmentation and synthetic data are functions of (seed, index),
 * and neighbouring inputs must give unrelated {@link java.util.Random} streams. Both are bijections on 64 bits.
 */
public final class Seeds {

    private Seeds() {}

    /** SplitMix64's output finaliser (Steele, Lea, Flood 2014). */
    public static long splitMix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** A well-mixed seed for the random draws of one sample in one epoch of a seeded run. */
    public static long sampleSeed(long seed, long epoch, long index) {
        return splitMix(seed + 0x9E3779B97F4A7C15L * (1 + epoch) + 0xC2B2AE3D27D4EB4FL * (1 + index));
    }

    /**
     * The seed of the engine's own generator for update {@code step} of a run seeded {@code seed}. The trainers
     * reseed the engine with it before every update, so that the draws made inside the network (dropout masks) are
     * a function of (seed, step) like everything else: a run resumed at step k then draws what an uninterrupted run
     * draws there. Non-negative, since MXNet takes an {@code int} seed.
     */
    public static int engineSeed(long seed, long step) {
        return (int) (splitMix(seed * 0x9E3779B97F4A7C15L + 0x632BE59BD9B4E019L * (step + 1)) >>> 33);
    }

    /** MurmurHash3's 64-bit finaliser ({@code fmix64}). */
    public static long murmurMix(long z) {
        z = (z ^ (z >>> 33)) * 0xff51afd7ed558ccdL;
        z = (z ^ (z >>> 33)) * 0xc4ceb9fe1a85ec53L;
        return z ^ (z >>> 33);
    }

    /** {@code 0..n-1} in the order of a Fisher-Yates shuffle driven by {@code random}. */
    public static int[] shuffledIndices(int n, java.util.random.RandomGenerator random) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }
}
