package ai.wsbcn.detection.coco;

import ai.wsbcn.util.InvalidInputException;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.core.MatOfInt;
import org.opencv.imgcodecs.Imgcodecs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Image files through OpenCV: decoding to interleaved RGB bytes and encoding BGR bytes to PNG or JPEG. */
public final class ImageIo {

    /** A decoded image: {@code height x width x 3} bytes, row-major, RGB order. */
    public record RgbImage(int width, int height, byte[] rgb) {}

    private static volatile boolean loaded;

    private ImageIo() {}

    /** Loads the OpenCV natives bundled with org.openpnp:opencv (once per process). */
    public static void ensureOpenCv() {
        if (!loaded) {
            synchronized (ImageIo.class) {
                if (!loaded) {
                    nu.pattern.OpenCV.loadLocally();
                    loaded = true;
                }
            }
        }
    }

    /** Reads a colour image; a missing or undecodable file is an {@link InvalidInputException}. */
    public static RgbImage readRgb(Path file) {
        ensureOpenCv();
        if (!Files.isRegularFile(file)) {
            throw new InvalidInputException(file + ": image file not found");
        }
        Mat bgr = Imgcodecs.imread(file.toString(), Imgcodecs.IMREAD_COLOR);
        try {
            if (bgr.empty()) {
                throw new InvalidInputException(file + ": not an image OpenCV can decode");
            }
            int w = bgr.cols();
            int h = bgr.rows();
            byte[] data = new byte[w * h * 3];
            bgr.get(0, 0, data);
            for (int i = 0; i < data.length; i += 3) {
                byte b = data[i];
                data[i] = data[i + 2];
                data[i + 2] = b;
            }
            return new RgbImage(w, h, data);
        } finally {
            bgr.release();
        }
    }

    /**
     * Encodes {@code height x width x 3} BGR bytes; the format follows the file name ({@code .png}, {@code .jpg}).
     * JPEG uses quality 95.
     */
    public static void writeBgr(Path file, byte[] bgr, int width, int height) throws IOException {
        ensureOpenCv();
        String name = file.getFileName().toString();
        String ext = name.substring(name.lastIndexOf('.'));
        Mat mat = new Mat(height, width, CvType.CV_8UC3);
        MatOfByte buf = new MatOfByte();
        try {
            mat.put(0, 0, bgr);
            MatOfInt params = new MatOfInt(Imgcodecs.IMWRITE_JPEG_QUALITY, 95);
            if (!Imgcodecs.imencode(ext, mat, buf, params)) {
                throw new IOException(file + ": OpenCV cannot encode " + ext);
            }
            Files.write(file, buf.toArray());
        } finally {
            mat.release();
            buf.release();
        }
    }
}
