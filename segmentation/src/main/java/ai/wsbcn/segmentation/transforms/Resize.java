package ai.wsbcn.segmentation.transforms;

import ai.wsbcn.pretrained.data.OpenCv;
import ai.wsbcn.pretrained.data.RgbImage;
import ai.wsbcn.segmentation.data.LabelMap;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.Size;
import org.opencv.imgproc.Imgproc;

/**
 * Resizing through OpenCV: bilinear for images, nearest neighbour for label maps (labels are not averaged). Both map
 * pixel centres ({@code src = (dst + 0.5) * in / out - 0.5}), so a label stays on the pixels of its object: labels use
 * {@code INTER_NEAREST_EXACT} (PIL's NEAREST, which torchvision's segmentation reference applies to its targets), not
 * {@code INTER_NEAREST}, whose {@code floor(dst * in / out)} shifts labels up and left of the image by up to half a
 * source pixel.
 */
public final class Resize {

    private Resize() {}

    public static RgbImage image(RgbImage in, int width, int height) {
        if (in.width() == width && in.height() == height) {
            return in;
        }
        return new RgbImage(width, height, resize(in.rgb(), in.width(), in.height(), CvType.CV_8UC3, 3, width,
                height, Imgproc.INTER_LINEAR));
    }

    public static LabelMap label(LabelMap in, int width, int height) {
        if (in.width() == width && in.height() == height) {
            return in;
        }
        return new LabelMap(width, height, resize(in.labels(), in.width(), in.height(), CvType.CV_8UC1, 1, width,
                height, Imgproc.INTER_NEAREST_EXACT));
    }

    private static byte[] resize(byte[] data, int w, int h, int type, int channels, int ow, int oh, int interp) {
        OpenCv.load();
        Mat src = new Mat(h, w, type);
        Mat dst = new Mat();
        try {
            src.put(0, 0, data);
            Imgproc.resize(src, dst, new Size(ow, oh), 0, 0, interp);
            byte[] out = new byte[ow * oh * channels];
            dst.get(0, 0, out);
            return out;
        } finally {
            src.release();
            dst.release();
        }
    }
}
