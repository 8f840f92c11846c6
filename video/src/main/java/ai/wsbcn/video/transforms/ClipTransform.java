package ai.wsbcn.video.transforms;

import org.opencv.core.Mat;

import java.util.List;
import java.util.random.RandomGenerator;

/**
 * A geometric transform applied identically to every frame of a clip (one draw per clip, so the motion between frames
 * is kept) producing square {@link #outputSize()} frames. There is deliberately no horizontal flip: in
 * Something-Something, left and right are part of the label ("pushing something from left to right").
 */
public interface ClipTransform {

    /** Returns new frames (the caller releases them); the input frames are left unchanged. */
    List<Mat> apply(List<Mat> frames, RandomGenerator random);

    int outputSize();

    /** TSM's training augmentation: multi-scale crop (scales 1, .875, .75, .66) resized to {@code size}. */
    static ClipTransform train(int size) {
        return new MultiScaleCrop(size);
    }

    /** TSM's test transform: shorter side to {@code resize}, centre crop {@code crop} (256 and 224 by default). */
    static ClipTransform test(int resize, int crop) {
        return new ScaleCenterCrop(resize, crop);
    }
}
