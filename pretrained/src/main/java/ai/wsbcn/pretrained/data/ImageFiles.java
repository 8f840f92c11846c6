package ai.wsbcn.pretrained.data;

import ai.wsbcn.util.AtomicFiles;
import ai.wsbcn.util.InvalidInputException;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.core.MatOfInt;
import org.opencv.imgcodecs.Imgcodecs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Colour image files through OpenCV, for every pipeline: decoding to RGB bytes, and encoding RGB or BGR bytes to PNG or
 * JPEG (written atomically).
 */
public final class ImageFiles {

    private ImageFiles() {}

    /**
     * Reads a colour image; a missing or undecodable file is an {@link InvalidInputException}. Pixels come as stored:
     * an EXIF orientation tag is not applied (OpenCV would rotate by default), because COCO and VOC annotations, and
     * torchvision's PIL loader, use the stored orientation. Grey images are repeated over the three channels, an
     * alpha channel is dropped, 16-bit samples are scaled to 8 bits and CMYK JPEGs are converted.
     */
    public static RgbImage readRgb(Path file) {
        OpenCv.load();
        if (!Files.isRegularFile(file)) {
            throw new InvalidInputException(file + ": image file not found");
        }
        Mat bgr = readBgrAsStored(file);
        try {
            if (bgr.empty()) {
                throw new InvalidInputException(file + ": not an image OpenCV can decode");
            }
            TruncatedJpegs.warnIfTruncated(file);
            byte[] data = new byte[bgr.cols() * bgr.rows() * 3];
            bgr.get(0, 0, data);
            swapRedBlue(data);
            return new RgbImage(bgr.cols(), bgr.rows(), data);
        } finally {
            bgr.release();
        }
    }

    /**
     * Decodes an image to 8-bit BGR as {@link #readRgb} does (stored orientation, grey repeated, alpha dropped), for
     * readers that go on in OpenCV; an undecodable file gives an empty {@code Mat}, which the caller reports with its
     * own context. PIL, which torchvision's ImageFolder and the TSM code read with, ignores the EXIF tag too.
     */
    public static Mat readBgrAsStored(Path file) {
        OpenCv.load();
        return Imgcodecs.imread(file.toString(), Imgcodecs.IMREAD_COLOR | Imgcodecs.IMREAD_IGNORE_ORIENTATION);
    }

    /** Writes an image atomically; the format follows the file name ({@code .png}, {@code .jpg}, quality 95). */
    public static void writeRgb(Path file, RgbImage image) throws IOException {
        OpenCv.load();
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        if (dot < 0) {
            throw new InvalidInputException(file + ": image file name needs an extension (.png or .jpg)");
        }
        byte[] bgr = image.rgb().clone();
        swapRedBlue(bgr);
        Mat mat = new Mat(image.height(), image.width(), CvType.CV_8UC3);
        MatOfByte buf = new MatOfByte();
        try {
            mat.put(0, 0, bgr);
            if (!Imgcodecs.imencode(name.substring(dot), mat, buf, new MatOfInt(Imgcodecs.IMWRITE_JPEG_QUALITY, 95))) {
                throw new IOException(file + ": OpenCV cannot encode " + name.substring(dot));
            }
            byte[] encoded = buf.toArray();
            AtomicFiles.write(file, out -> out.write(encoded));
        } finally {
            mat.release();
            buf.release();
        }
    }

    /** Writes {@code height x width x 3} BGR bytes (OpenCV's order, e.g. a drawn overlay); see {@link #writeRgb}. */
    public static void writeBgr(Path file, byte[] bgr, int width, int height) throws IOException {
        byte[] rgb = bgr.clone();
        swapRedBlue(rgb);
        writeRgb(file, new RgbImage(width, height, rgb));
    }

    private static void swapRedBlue(byte[] data) {
        for (int i = 0; i < data.length; i += 3) {
            byte t = data[i];
            data[i] = data[i + 2];
            data[i + 2] = t;
        }
    }
}
