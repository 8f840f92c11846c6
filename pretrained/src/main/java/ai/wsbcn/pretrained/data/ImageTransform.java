package ai.wsbcn.pretrained.data;

import org.opencv.core.Mat;

import java.util.random.RandomGenerator;

/**
 * A geometric image transform on 8-bit RGB OpenCV images producing a square {@link #outputSize()} image. The random
 * generator is the sample's own (see {@link ImageFolderDataset}), so the result does not depend on thread order.
 */
public interface ImageTransform {

    /** Returns a new image (the caller releases it); {@code rgb} is left unchanged. */
    Mat apply(Mat rgb, RandomGenerator random);

    /** The side of the square output. */
    int outputSize();

    /** ImageNet training augmentation: torchvision's random resized crop to {@code size} and a horizontal flip (p 0.5). */
    static ImageTransform train(int size) {
        return new RandomResizedCropFlip(size, new RandomResizedCrop(), 0.5);
    }

    /** ImageNet evaluation: resize the shorter side to {@code resize}, then a centred {@code crop x crop}. */
    static ImageTransform eval(int resize, int crop) {
        return new ResizeCenterCrop(resize, crop);
    }
}
