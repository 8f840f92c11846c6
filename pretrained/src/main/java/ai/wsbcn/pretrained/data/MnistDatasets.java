package ai.wsbcn.pretrained.data;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.wsbcn.util.InvalidInputException;

import java.nio.FloatBuffer;
import java.nio.file.Path;

/**
 * Loads MNIST-style IDX data sets (MNIST, Fashion-MNIST) into an {@link InMemoryClassificationSet} of shape
 * {@code (N, 1, H, W)}, normalised {@code (x / 255 - mean) / std}.
 */
public final class MnistDatasets {

    /** MNIST and Fashion-MNIST both have ten classes. */
    public static final int NUM_CLASSES = 10;

    private MnistDatasets() {}

    /** The whole split. */
    public static InMemoryClassificationSet load(NDManager manager, Path dir, Split split, Normalization norm) {
        return load(manager, dir, split, norm, Integer.MAX_VALUE);
    }

    /** The first {@code limit} samples of the split (all of them if it has fewer). */
    public static InMemoryClassificationSet load(NDManager manager, Path dir, Split split, Normalization norm,
            int limit) {
        if (norm.channels() != 1) {
            throw new IllegalArgumentException("IDX images have one channel; " + norm + " has " + norm.channels());
        }
        if (limit <= 0) {
            throw new IllegalArgumentException("limit must be positive, got " + limit);
        }
        IdxFile images = IdxFile.read(MnistLayout.images(dir, split));
        IdxFile labels = IdxFile.read(MnistLayout.labels(dir, split));
        int[] dims = images.dims();
        if (dims.length != 3) {
            throw new InvalidInputException(images.path() + ": expected 3 dimensions (count, height, width), got "
                    + dims.length);
        }
        if (labels.dims().length != 1) {
            throw new InvalidInputException(labels.path() + ": expected 1 dimension (count), got "
                    + labels.dims().length);
        }
        if (labels.count() != images.count()) {
            throw new InvalidInputException(labels.path() + ": " + labels.count() + " labels for "
                    + images.count() + " images in " + images.path());
        }
        int n = Math.min(limit, images.count());
        int[] labelValues = new int[n];
        for (int i = 0; i < n; i++) {
            labelValues[i] = labels.unsigned(i);
            if (labelValues[i] >= NUM_CLASSES) {
                throw new InvalidInputException(labels.path() + ": label " + labelValues[i] + " of sample " + i
                        + " is not a class index 0.." + (NUM_CLASSES - 1));
            }
        }
        float[] table = norm.lookupTable(0);
        int itemSize = images.itemSize();
        FloatBuffer pixels = InMemoryClassificationSet.allocatePixels((long) n * itemSize);
        byte[] raw = images.data();
        for (int i = 0, end = n * itemSize; i < end; i++) {
            pixels.put(table[raw[i] & 0xff]);
        }
        pixels.flip();
        return InMemoryClassificationSet.of(manager, pixels, new Shape(1, dims[1], dims[2]), labelValues,
                NUM_CLASSES);
    }
}
