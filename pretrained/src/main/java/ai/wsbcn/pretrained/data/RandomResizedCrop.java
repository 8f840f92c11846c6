package ai.wsbcn.pretrained.data;

import java.util.random.RandomGenerator;

/**
 * torchvision's {@code RandomResizedCrop.get_params}: up to {@value #ATTEMPTS} draws of an area fraction uniform in
 * {@code scale} and a log-uniform aspect ratio (w/h) in {@code ratio}; the first window that fits is placed uniformly;
 * if none fits, a centred crop of the whole image clamped to the ratio range. Rounding is Python's (half to even).
 */
public final class RandomResizedCrop {

    /** torchvision's number of attempts before the central fallback. */
    public static final int ATTEMPTS = 10;

    private final double minScale;
    private final double maxScale;
    private final double minRatio;
    private final double maxRatio;

    /** torchvision's defaults: scale (0.08, 1), ratio (3/4, 4/3). */
    public RandomResizedCrop() {
        this(0.08, 1.0, 3.0 / 4.0, 4.0 / 3.0);
    }

    public RandomResizedCrop(double minScale, double maxScale, double minRatio, double maxRatio) {
        if (!(0 < minScale && minScale <= maxScale) || !(0 < minRatio && minRatio <= maxRatio)) {
            throw new IllegalArgumentException("need 0 < minScale <= maxScale and 0 < minRatio <= maxRatio, got scale ("
                    + minScale + ", " + maxScale + ") ratio (" + minRatio + ", " + maxRatio + ")");
        }
        this.minScale = minScale;
        this.maxScale = maxScale;
        this.minRatio = minRatio;
        this.maxRatio = maxRatio;
    }

    /** The crop window for an image of {@code width x height}. */
    public CropWindow sample(int width, int height, RandomGenerator random) {
        double area = (double) width * height;
        double logMin = Math.log(minRatio);
        double logMax = Math.log(maxRatio);
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            double targetArea = area * uniform(random, minScale, maxScale);
            double aspect = Math.exp(uniform(random, logMin, logMax));
            int w = (int) Math.rint(Math.sqrt(targetArea * aspect));
            int h = (int) Math.rint(Math.sqrt(targetArea / aspect));
            if (0 < w && w <= width && 0 < h && h <= height) {
                int y = random.nextInt(height - h + 1);
                int x = random.nextInt(width - w + 1);
                return new CropWindow(x, y, w, h);
            }
        }
        return centralFallback(width, height);
    }

    /** The window used when no attempt fits. */
    public CropWindow centralFallback(int width, int height) {
        double inRatio = (double) width / height;
        int w;
        int h;
        if (inRatio < minRatio) {
            w = width;
            h = (int) Math.rint(w / minRatio);
        } else if (inRatio > maxRatio) {
            h = height;
            w = (int) Math.rint(h * maxRatio);
        } else {
            w = width;
            h = height;
        }
        return new CropWindow((width - w) / 2, (height - h) / 2, w, h);
    }

    /** Always draws, even for an empty range, so the number of draws per sample is torchvision's. */
    private static double uniform(RandomGenerator random, double lo, double hi) {
        return lo + (hi - lo) * random.nextDouble();
    }
}
