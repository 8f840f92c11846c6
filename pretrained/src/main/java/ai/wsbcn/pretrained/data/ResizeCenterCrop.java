package ai.wsbcn.pretrained.data;

import org.opencv.core.Core;
import org.opencv.core.Mat;
import org.opencv.core.Rect;
import org.opencv.core.Scalar;

import java.util.random.RandomGenerator;

/**
 * torchvision's {@code Resize(resize)} (shorter side to {@code resize}, longer side {@code int(resize * long / short)})
 * then {@code CenterCrop(crop)} (offsets {@code round((size - crop) / 2)}, zero padding when the image is smaller).
 */
public final class ResizeCenterCrop implements ImageTransform {

    private final int resize;
    private final int crop;

    public ResizeCenterCrop(int resize, int crop) {
        if (resize <= 0 || crop <= 0) {
            throw new IllegalArgumentException("sizes must be positive, got resize " + resize + ", crop " + crop);
        }
        this.resize = resize;
        this.crop = crop;
    }

    /** The {@code (width, height)} the shorter-side resize gives for an image of {@code width x height}. */
    public int[] resizedSize(int width, int height) {
        if (width <= height) {
            return new int[] {resize, (int) ((double) resize * height / width)};
        }
        return new int[] {(int) ((double) resize * width / height), resize};
    }

    /** The centred crop window for an image of {@code width x height} at least {@code crop} on each side. */
    public CropWindow centerWindow(int width, int height) {
        int y = (int) Math.rint((height - crop) / 2.0);
        int x = (int) Math.rint((width - crop) / 2.0);
        return new CropWindow(x, y, crop, crop);
    }

    @Override
    public Mat apply(Mat rgb, RandomGenerator random) {
        int[] size = resizedSize(rgb.cols(), rgb.rows());
        Mat resized = Resizing.resize(rgb, size[0], size[1]);
        Mat padded = padToCrop(resized);
        if (padded != resized) {
            resized.release();
        }
        CropWindow w = centerWindow(padded.cols(), padded.rows());
        Mat region = padded.submat(new Rect(w.x(), w.y(), w.width(), w.height()));
        Mat out = region.clone();
        region.release();
        padded.release();
        return out;
    }

    private Mat padToCrop(Mat img) {
        int padW = Math.max(0, crop - img.cols());
        int padH = Math.max(0, crop - img.rows());
        if (padW == 0 && padH == 0) {
            return img;
        }
        Mat out = new Mat();
        Core.copyMakeBorder(img, out, padH / 2, (padH + 1) / 2, padW / 2, (padW + 1) / 2, Core.BORDER_CONSTANT,
                new Scalar(0, 0, 0));
        return out;
    }

    @Override
    public int outputSize() {
        return crop;
    }
}
