package ai.wsbcn.pretrained.data;

import org.opencv.core.Mat;
import org.opencv.core.Size;
import org.opencv.imgproc.Imgproc;

/** OpenCV resizing that approximates torchvision's antialiased bilinear resize, for every pipeline. */
public final class Resizing {

    private Resizing() {}

    /**
     * Area averaging when shrinking (close to PIL's antialiased bilinear filter; plain bilinear would alias) and
     * bilinear when enlarging.
     */
    public static Mat resize(Mat src, int width, int height) {
        Mat out = new Mat();
        boolean shrinking = width < src.cols() || height < src.rows();
        Imgproc.resize(src, out, new Size(width, height), 0, 0, shrinking ? Imgproc.INTER_AREA : Imgproc.INTER_LINEAR);
        return out;
    }
}
