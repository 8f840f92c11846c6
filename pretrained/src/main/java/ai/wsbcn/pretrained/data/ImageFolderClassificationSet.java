package ai.wsbcn.pretrained.data;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

import java.nio.FloatBuffer;
import java.util.stream.IntStream;

/**
 * An {@link ImageFolderDataset} as a {@link ClassificationSource}: each batch is decoded and transformed from the
 * files (in parallel over the batch's images, each with its own (seed, epoch, index) random draws, so the result does
 * not depend on the thread schedule) into one direct buffer and handed to the engine in one copy.
 */
public final class ImageFolderClassificationSet implements ClassificationSource {

    private final ImageFolderDataset dataset;
    private final int size;

    public ImageFolderClassificationSet(ImageFolderDataset dataset) {
        this.dataset = dataset;
        this.size = Math.toIntExact(dataset.size());
    }

    public ImageFolderDataset dataset() {
        return dataset;
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public int numClasses() {
        return dataset.classes().size();
    }

    @Override
    public Shape imageShape() {
        return dataset.imageShape();
    }

    @Override
    public int label(int i) {
        return dataset.label(i);
    }

    @Override
    public NDList batch(NDManager target, int[] order, int start, int count, int epoch) {
        if (count <= 0 || start < 0 || start + count > order.length) {
            throw new IndexOutOfBoundsException("batch [" + start + ", " + (start + count) + ") is outside [0, "
                    + order.length + ")");
        }
        int[] picked = new int[count];
        for (int k = 0; k < count; k++) {
            picked[k] = order[start + k];
            if (picked[k] < 0 || picked[k] >= size) {
                throw new IndexOutOfBoundsException("sample index " + picked[k] + " at order[" + (start + k)
                        + "] is outside [0, " + size + ")");
            }
        }
        int itemSize = Math.toIntExact(imageShape().size());
        float[][] images = new float[count][];
        IntStream range = IntStream.range(0, count);
        (count > 1 ? range.parallel() : range).forEach(k -> images[k] = dataset.sample(picked[k], epoch));
        FloatBuffer pixels = InMemoryClassificationSet.allocatePixels((long) count * itemSize);
        float[] labels = new float[count];
        for (int k = 0; k < count; k++) {
            pixels.put(images[k]);
            labels[k] = dataset.label(picked[k]);
        }
        pixels.flip();
        NDArray x = target.create(pixels, new Shape(count).addAll(imageShape()), DataType.FLOAT32);
        NDArray y = target.create(labels, new Shape(count));
        return new NDList(x, y);
    }

    @Override
    public void close() {
        // files are read per batch; nothing is held open
    }
}
