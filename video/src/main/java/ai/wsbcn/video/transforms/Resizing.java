package ai.wsbcn.video.transforms;

import org.opencv.core.Mat;
import org.opencv.core.Size;
import org.opencv.imgproc.Imgproc;

/** Area averaging when shrinking (close to PIL's antialiased filters), bilinear when enlarging. */
final class Resizing {

    private Resizing() {}

    static Mat resize(Mat src, int width, int height) {
        Mat out = new Mat();
        boolean shrinking = width < src.cols() || height < src.rows();
        Imgproc.resize(src, out, new Size(width, height), 0, 0, shrinking ? Imgproc.INTER_AREA : Imgproc.INTER_LINEAR);
        return out;
    }
}
