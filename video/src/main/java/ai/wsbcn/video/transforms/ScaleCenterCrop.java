package ai.wsbcn.video.transforms;

import ai.wsbcn.pretrained.data.ResizeCenterCrop;
import org.opencv.core.Mat;

import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * The test transform: shorter side to {@code resize}, then a centred {@code crop x crop} window, frame by frame (the
 * transform is deterministic, so every frame gets the same window). torchvision's rounding, via the pretrained
 * module's {@link ResizeCenterCrop}.
 */
public final class ScaleCenterCrop implements ClipTransform {

    private final ResizeCenterCrop frameTransform;

    public ScaleCenterCrop(int resize, int crop) {
        this.frameTransform = new ResizeCenterCrop(resize, crop);
    }

    @Override
    public List<Mat> apply(List<Mat> frames, RandomGenerator random) {
        List<Mat> out = new ArrayList<>(frames.size());
        for (Mat f : frames) {
            out.add(frameTransform.apply(f, random));
        }
        return out;
    }

    @Override
    public int outputSize() {
        return frameTransform.outputSize();
    }
}
