package ai.wsbcn.pretrained.data;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Objects;

/**
 * A classification data set held whole in ONE images NDArray {@code (N, C, H, W)} float32 (already normalised) and one
 * labels NDArray {@code (N)} float32 (class indices, as DJL's losses and evaluators expect), so that a training step
 * costs one slice (or one gather) and no host copy: {@link #batch} returns exactly the batch's two arrays and
 * allocates nothing else when the batch's indices are consecutive (always the case for micro-batch 1).
 */
public final class InMemoryClassificationSet implements ClassificationSource {

    private final NDManager manager;
    private final NDArray images;
    private final NDArray labels;
    private final int[] labelValues;
    private final int numClasses;

    private InMemoryClassificationSet(NDManager manager, NDArray images, NDArray labels, int[] labelValues,
            int numClasses) {
        this.manager = manager;
        this.images = images;
        this.labels = labels;
        this.labelValues = labelValues;
        this.numClasses = numClasses;
    }

    /**
     * Builds a set from normalised pixels in NCHW order (read from {@code pixels} position 0 to its limit) and labels
     * in {@code [0, numClasses)}. The arrays live in a sub-manager of {@code parent}, released by {@link #close}.
     */
    public static InMemoryClassificationSet of(NDManager parent, FloatBuffer pixels, Shape imageShape, int[] labels,
            int numClasses) {
        Objects.requireNonNull(parent, "parent");
        if (imageShape.dimension() != 3) {
            throw new IllegalArgumentException("image shape must be (C, H, W), got " + imageShape);
        }
        long expected = labels.length * imageShape.size();
        if (pixels.remaining() != expected) {
            throw new IllegalArgumentException(labels.length + " images of " + imageShape + " need " + expected
                    + " floats, got " + pixels.remaining());
        }
        float[] labelFloats = new float[labels.length];
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= numClasses) {
                throw new IllegalArgumentException("label " + labels[i] + " of sample " + i + " is outside [0, "
                        + numClasses + ")");
            }
            labelFloats[i] = labels[i];
        }
        NDManager manager = parent.newSubManager();
        Shape full = new Shape(labels.length).addAll(imageShape);
        NDArray images = manager.create(pixels, full, DataType.FLOAT32);
        NDArray labelArray = manager.create(labelFloats, new Shape(labels.length));
        return new InMemoryClassificationSet(manager, images, labelArray, labels.clone(), numClasses);
    }

    /** A direct, native-order float buffer for {@code count} floats, to fill before {@link #of} without a heap copy. */
    public static FloatBuffer allocatePixels(long count) {
        if (count * Float.BYTES > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(count + " floats do not fit in one buffer");
        }
        return ByteBuffer.allocateDirect((int) (count * Float.BYTES)).order(ByteOrder.nativeOrder()).asFloatBuffer();
    }

    @Override
    public int size() {
        return labelValues.length;
    }

    @Override
    public int numClasses() {
        return numClasses;
    }

    @Override
    public Shape imageShape() {
        return images.getShape().slice(1);
    }

    /** All images, {@code (N, C, H, W)}; owned by this set. */
    public NDArray images() {
        return images;
    }

    /** All labels, {@code (N)} float32; owned by this set. */
    public NDArray labels() {
        return labels;
    }

    @Override
    public int label(int i) {
        return labelValues[i];
    }

    /**
     * Samples {@code start .. start+count-1} as {@code [images (count, C, H, W), labels (count)]}, attached to
     * {@code target} (e.g. the step's sub-manager, so they are freed with it).
     */
    public NDList range(NDManager target, int start, int count) {
        checkRange(start, count, size());
        NDIndex index = new NDIndex("{}:{}", start, start + count);
        return new NDList(images.get(target, index), labels.get(target, index));
    }

    /**
     * Samples {@code order[start] .. order[start+count-1]} (an epoch's permutation, say) as {@code [images, labels]},
     * attached to {@code target}. Consecutive indices are a slice; others a single gather along the first axis.
     */
    public NDList batch(NDManager target, int[] order, int start, int count) {
        checkRange(start, count, order.length);
        boolean consecutive = true;
        for (int k = 1; k < count && consecutive; k++) {
            consecutive = order[start + k] == order[start] + k;
        }
        if (consecutive) {
            return range(target, order[start], count);
        }
        long[] picked = new long[count];
        for (int k = 0; k < count; k++) {
            int i = order[start + k];
            if (i < 0 || i >= size()) {
                throw new IndexOutOfBoundsException("sample index " + i + " at order[" + (start + k)
                        + "] is outside [0, " + size() + ")");
            }
            picked[k] = i;
        }
        try (NDArray index = target.create(picked)) {
            NDIndex take = new NDIndex("{}", index);
            return new NDList(images.get(target, take), labels.get(target, take));
        }
    }

    /** As {@link #batch(NDManager, int[], int, int)}: a set held in memory has no augmentation to draw. */
    @Override
    public NDList batch(NDManager target, int[] order, int start, int count, int epoch) {
        return batch(target, order, start, count);
    }

    private static void checkRange(int start, int count, int length) {
        if (count <= 0 || start < 0 || start + count > length) {
            throw new IndexOutOfBoundsException("batch [" + start + ", " + (start + count) + ") is outside [0, "
                    + length + ")");
        }
    }

    @Override
    public void close() {
        manager.close();
    }
}
