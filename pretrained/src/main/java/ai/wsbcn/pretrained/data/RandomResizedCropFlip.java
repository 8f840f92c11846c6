package ai.wsbcn.pretrained.data;

import org.opencv.core.Core;
import org.opencv.core.Mat;
import org.opencv.core.Rect;

import java.util.random.RandomGenerator;

/** torchvision's {@code RandomResizedCrop(size)} followed by {@code RandomHorizontalFlip(p)}. */
public final class RandomResizedCropFlip implements ImageTransform {

    private final int size;
    private final RandomResizedCrop crop;
    private final double flipProbability;

    public RandomResizedCropFlip(int size, RandomResizedCrop crop, double flipProbability) {
        if (size <= 0 || !(flipProbability >= 0 && flipProbability <= 1)) {
            throw new IllegalArgumentException("need size > 0 and 0 <= p <= 1, got " + size + ", " + flipProbability);
        }
        this.size = size;
        this.crop = crop;
        this.flipProbability = flipProbability;
    }

    @Override
    public Mat apply(Mat rgb, RandomGenerator random) {
        CropWindow w = crop.sample(rgb.cols(), rgb.rows(), random);
        Mat region = rgb.submat(new Rect(w.x(), w.y(), w.width(), w.height()));
        Mat out = Resizing.resize(region, size, size);
        region.release();
        if (random.nextDouble() < flipProbability) {
            Core.flip(out, out, 1);
        }
        return out;
    }

    @Override
    public int outputSize() {
        return size;
    }
}
