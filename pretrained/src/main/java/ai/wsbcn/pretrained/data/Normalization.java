package ai.wsbcn.pretrained.data;

import java.util.Arrays;

/**
 * Per-channel input normalisation {@code (x / 255 - mean[c]) / std[c]} applied to 8-bit images, with the constants
 * the training recipes use.
 */
public final class Normalization {

    /** Fashion-MNIST training-set statistics, as in the project's "fmnist-micro" protocol. */
    public static final Normalization FASHION_MNIST = new Normalization(new float[] {0.2860f}, new float[] {0.3530f});
    /** MNIST training-set statistics. */
    public static final Normalization MNIST = new Normalization(new float[] {0.1307f}, new float[] {0.3081f});
    /** ImageNet RGB statistics (torchvision's). */
    public static final Normalization IMAGENET = new Normalization(
            new float[] {0.485f, 0.456f, 0.406f}, new float[] {0.229f, 0.224f, 0.225f});

    private final float[] mean;
    private final float[] std;

    public Normalization(float[] mean, float[] std) {
        if (mean.length == 0 || mean.length != std.length) {
            throw new IllegalArgumentException("mean and std need the same, non-zero number of channels: "
                    + Arrays.toString(mean) + " vs " + Arrays.toString(std));
        }
        for (float s : std) {
            if (!(s > 0)) {
                throw new IllegalArgumentException("std must be positive: " + Arrays.toString(std));
            }
        }
        this.mean = mean.clone();
        this.std = std.clone();
    }

    public int channels() {
        return mean.length;
    }

    public float mean(int channel) {
        return mean[channel];
    }

    public float std(int channel) {
        return std[channel];
    }

    /**
     * A 256-entry table mapping a byte value of {@code channel} to its normalised float, so that converting an
     * image is one lookup per pixel and bit-identical wherever it is done.
     */
    public float[] lookupTable(int channel) {
        float[] table = new float[256];
        for (int v = 0; v < 256; v++) {
            table[v] = (v / 255f - mean[channel]) / std[channel];
        }
        return table;
    }

    @Override
    public String toString() {
        return "Normalization{mean=" + Arrays.toString(mean) + ", std=" + Arrays.toString(std) + "}";
    }
}
