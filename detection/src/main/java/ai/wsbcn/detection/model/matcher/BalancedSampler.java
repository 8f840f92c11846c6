package ai.wsbcn.detection.model.matcher;

import java.util.Arrays;
import java.util.Random;

/**
 * torchvision's {@code BalancedPositiveNegativeSampler}: at most {@code batchSizePerImage * positiveFraction}
 * positives drawn at random, the rest of the batch filled with random negatives (fewer when there are not enough).
 */
public final class BalancedSampler {

    private final int batchSizePerImage;
    private final float positiveFraction;

    public BalancedSampler(int batchSizePerImage, float positiveFraction) {
        if (batchSizePerImage <= 0 || positiveFraction < 0 || positiveFraction > 1) {
            throw new IllegalArgumentException("sampler: batch " + batchSizePerImage + ", positive fraction "
                    + positiveFraction);
        }
        this.batchSizePerImage = batchSizePerImage;
        this.positiveFraction = positiveFraction;
    }

    /** Sampled indices, each list ascending. */
    public record Sample(int[] positives, int[] negatives) {}

    /**
     * @param labels per candidate: > 0 positive, 0 negative, < 0 ignored (torchvision's -1)
     * @param random source of the random subsets (seed it for reproducible training)
     */
    public Sample sample(int[] labels, Random random) {
        int[] pos = Arrays.stream(indices(labels)).filter(i -> labels[i] > 0).toArray();
        int[] neg = Arrays.stream(indices(labels)).filter(i -> labels[i] == 0).toArray();
        int numPos = Math.min(pos.length, (int) (batchSizePerImage * positiveFraction));
        int numNeg = Math.min(neg.length, batchSizePerImage - numPos);
        return new Sample(pick(pos, numPos, random), pick(neg, numNeg, random));
    }

    private static int[] indices(int[] labels) {
        int[] all = new int[labels.length];
        Arrays.setAll(all, i -> i);
        return all;
    }

    /** k of the candidates uniformly without replacement (partial Fisher-Yates), returned ascending. */
    private static int[] pick(int[] candidates, int k, Random random) {
        int[] a = candidates.clone();
        for (int i = 0; i < k; i++) {
            int j = i + random.nextInt(a.length - i);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
        int[] out = Arrays.copyOf(a, k);
        Arrays.sort(out);
        return out;
    }
}
