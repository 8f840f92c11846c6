package ai.wsbcn.pretrained.data;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * What the classification pretrainer reads: a fixed list of labelled images, fetched a batch at a time. Held whole in
 * memory ({@link InMemoryClassificationSet}, Fashion-MNIST) or decoded and augmented per sample from files
 * ({@link ImageFolderClassificationSet}, ImageNet-style folders); the pretrainer does not need to know which.
 */
public interface ClassificationSource extends AutoCloseable {

    /** Number of samples. */
    int size();

    /** Number of classes; labels are in {@code [0, numClasses)}. */
    int numClasses();

    /** The shape of one image, {@code (C, H, W)}. */
    Shape imageShape();

    /** The label of sample {@code i}, without touching the device. */
    int label(int i);

    /**
     * Samples {@code order[start] .. order[start+count-1]} as {@code [images (count, C, H, W), labels (count)]}
     * float32, attached to {@code target}. {@code epoch} selects the random augmentation draws of sources that augment
     * (so a resumed run sees the same images); others ignore it.
     */
    NDList batch(NDManager target, int[] order, int start, int count, int epoch);

    @Override
    void close();
}
