package ai.wsbcn.detection.predict;

import ai.wsbcn.detection.model.ImageDetections;
import ai.wsbcn.pretrained.data.OpenCv;

import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.Point;
import org.opencv.core.Scalar;
import org.opencv.imgproc.Imgproc;

import java.util.List;
import java.util.function.IntFunction;

/** Draws detections on an RGB image: translucent masks, boxes, and "label score" captions (OpenCV). */
public final class DetectionOverlay {

    private DetectionOverlay() {}

    /** A distinct colour per label (RGB). */
    public static int[] color(int label) {
        int h = (label * 67) % 360;
        double c = 200;
        double x = c * (1 - Math.abs((h / 60.0) % 2 - 1));
        double[] rgb = h < 60 ? new double[] {c, x, 0} : h < 120 ? new double[] {x, c, 0}
                : h < 180 ? new double[] {0, c, x} : h < 240 ? new double[] {0, x, c}
                : h < 300 ? new double[] {x, 0, c} : new double[] {c, 0, x};
        return new int[] {(int) rgb[0] + 40, (int) rgb[1] + 40, (int) rgb[2] + 40};
    }

    /** Returns BGR bytes (for {@link ImageIo#writeBgr}) with detections scoring >= {@code minScore} drawn. */
    public static byte[] draw(byte[] rgb, int width, int height, ImageDetections d, IntFunction<String> names,
            float minScore, float maskAlpha) {
        OpenCv.load();
        byte[] out = rgb.clone();
        int n = d.size();
        for (int k = n - 1; k >= 0; k--) {
            if (d.scores()[k] < minScore || d.masks() == null) {
                continue;
            }
            int[] c = color(d.labels()[k]);
            byte[] m = d.masks()[k];
            for (int p = 0; p < m.length; p++) {
                if (m[p] != 0) {
                    for (int ch = 0; ch < 3; ch++) {
                        int v = out[3 * p + ch] & 0xff;
                        out[3 * p + ch] = (byte) Math.round(v * (1 - maskAlpha) + c[ch] * maskAlpha);
                    }
                }
            }
        }
        byte[] bgr = new byte[out.length];
        for (int i = 0; i < out.length; i += 3) {
            bgr[i] = out[i + 2];
            bgr[i + 1] = out[i + 1];
            bgr[i + 2] = out[i];
        }
        Mat mat = new Mat(height, width, CvType.CV_8UC3);
        try {
            mat.put(0, 0, bgr);
            double font = Math.max(0.3, Math.min(width, height) / 600.0);
            for (int k = 0; k < n; k++) {
                if (d.scores()[k] < minScore) {
                    continue;
                }
                int[] c = color(d.labels()[k]);
                Scalar col = new Scalar(c[2], c[1], c[0]);
                float[] b = d.boxes();
                Point p1 = new Point(b[4 * k], b[4 * k + 1]);
                Imgproc.rectangle(mat, p1, new Point(b[4 * k + 2], b[4 * k + 3]), col, 1);
                String caption = String.format("%s %.2f", names.apply(d.labels()[k]), d.scores()[k]);
                Imgproc.putText(mat, caption, new Point(b[4 * k], Math.max(8, b[4 * k + 1] - 2)),
                        Imgproc.FONT_HERSHEY_SIMPLEX, font, col, 1);
            }
            mat.get(0, 0, bgr);
        } finally {
            mat.release();
        }
        return bgr;
    }

    /** Convenience for a list. */
    public static int count(List<ImageDetections> ds, float minScore) {
        int c = 0;
        for (ImageDetections d : ds) {
            for (float s : d.scores()) {
                c += s >= minScore ? 1 : 0;
            }
        }
        return c;
    }
}
