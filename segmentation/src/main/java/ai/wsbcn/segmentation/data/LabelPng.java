package ai.wsbcn.segmentation.data;

import ai.wsbcn.util.AtomicFiles;
import ai.wsbcn.util.InvalidInputException;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.ComponentSampleModel;
import java.awt.image.DataBufferByte;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Label PNGs as class indices. VOC's {@code SegmentationClass} files are palette PNGs whose pixel values are the class
 * indices (the palette only colours them); decoders that convert to colour (OpenCV's {@code imread}) lose that, so this
 * reads the raw samples of the indexed raster instead. Also accepted: 8-bit (or 16-bit with values up to 255) grey
 * PNGs, the {@code SegmentationClassAug} convention; 1-, 2- and 4-bit grey PNGs, read as PIL reads them; and colour
 * PNGs drawn exactly in the VOC palette (mapped back to indices). Predictions are written as 8-bit palette PNGs in the
 * VOC colours.
 */
public final class LabelPng {

    private LabelPng() {}

    static {
        // decoding to memory only: no temporary files per image
        ImageIO.setUseCache(false);
    }

    /** Reads a label PNG; a missing, undecodable or non-label file is an {@link InvalidInputException}. */
    public static LabelMap read(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new InvalidInputException(file + ": label file not found");
        } catch (IOException e) {
            throw new InvalidInputException(file + ": cannot read label file: " + e.getMessage(), e);
        }
        return decode(bytes, file.toString());
    }

    /** Decodes PNG bytes; {@code name} is used in error messages. */
    public static LabelMap decode(byte[] png, String name) {
        if (png.length >= 3 && (png[0] & 0xff) == 0xFF && (png[1] & 0xff) == 0xD8 && (png[2] & 0xff) == 0xFF) {
            // ImageIO would decode it, and its compression noise (a 14 or 16 inside a region of 15) pass as labels
            throw new InvalidInputException(name + ": is a JPEG, not a PNG: JPEG's lossy compression changes label"
                    + " values; write labels as PNG");
        }
        BufferedImage img;
        try (InputStream in = new java.io.ByteArrayInputStream(png)) {
            img = ImageIO.read(in);
        } catch (IOException e) {
            throw new InvalidInputException(name + ": not a decodable PNG: " + e.getMessage(), e);
        }
        if (img == null) {
            throw new InvalidInputException(name + ": not a PNG (no image decoder accepts it)");
        }
        LabelMap labels = fromImage(img, name);
        int scale = greyScale(png);
        if (scale > 1) {
            byte[] b = labels.labels();
            for (int i = 0; i < b.length; i++) {
                b[i] = (byte) (b[i] * scale);
            }
        }
        return labels;
    }

    /**
     * 85 or 17 for a 2- or 4-bit grey PNG, else 1. Such a grey sample is an intensity on a 3- or 15-step scale, read
     * as 0..255 by PIL and OpenCV alike, so {@code 1} of a 4-bit file is label 17; ImageIO returns the raw samples.
     * PNG optimisers write these from 8-bit grey labels whose values all fit the coarser scale ({0, 17, 255}: a
     * background, sheep and boundary image). 1-bit grey stays 0/1, which is what PIL's {@code np.array} gives
     * (OpenCV's 0/255 would make every foreground pixel ignored).
     */
    private static int greyScale(byte[] png) {
        boolean ihdr = png.length > 25 && png[12] == 'I' && png[13] == 'H' && png[14] == 'D' && png[15] == 'R';
        if (!ihdr || png[25] != 0) { // colour type 0: grey without alpha
            return 1;
        }
        return switch (png[24]) {
            case 2 -> 85;
            case 4 -> 17;
            default -> 1;
        };
    }

    static LabelMap fromImage(BufferedImage img, String name) {
        int w = img.getWidth();
        int h = img.getHeight();
        Raster raster = img.getRaster();
        ColorModel cm = img.getColorModel();
        byte[] out = new byte[w * h];
        if (raster.getNumBands() == 1 && (cm instanceof IndexColorModel || cm.getNumComponents() == 1)) {
            if (raster.getDataBuffer() instanceof DataBufferByte db
                    && raster.getSampleModel() instanceof ComponentSampleModel sm
                    && sm.getPixelStride() == 1 && sm.getScanlineStride() == w
                    && raster.getSampleModelTranslateX() == 0 && raster.getSampleModelTranslateY() == 0
                    && db.getNumBanks() == 1 && db.getOffset() == 0) {
                System.arraycopy(db.getData(), 0, out, 0, w * h);
                return new LabelMap(w, h, out);
            }
            int[] row = new int[w];
            for (int y = 0; y < h; y++) {
                raster.getSamples(0, y, w, 1, 0, row);
                for (int x = 0; x < w; x++) {
                    if (row[x] > 255) {
                        throw new InvalidInputException(String.format(Locale.ROOT,
                                "%s: pixel (x=%d, y=%d) has label value %d; labels must be 0..255", name, x, y, row[x]));
                    }
                    out[y * w + x] = (byte) row[x];
                }
            }
            return new LabelMap(w, h, out);
        }
        // a colour PNG: accept it only when every pixel is a VOC palette colour
        int[] argb = img.getRGB(0, 0, w, h, null, 0, w);
        for (int i = 0; i < argb.length; i++) {
            int idx = VocPalette.indexOf(argb[i]);
            if (idx < 0) {
                throw new InvalidInputException(String.format(Locale.ROOT, "%s: colour #%06X at pixel (x=%d, y=%d) is"
                        + " not a VOC palette colour; label PNGs must be palette or grey PNGs of class indices%s",
                        name, argb[i] & 0xffffff, i % w, i / w, hint(cm, argb[i])));
            }
            out[i] = (byte) idx;
        }
        return new LabelMap(w, h, out);
    }

    /** What a refused colour PNG probably is, for the error message: grey labels saved with alpha or as RGB. */
    private static String hint(ColorModel cm, int argb) {
        if (cm.getNumColorComponents() == 1) {
            return " (this one is grey with an alpha channel: save it without alpha)";
        }
        int r = argb >> 16 & 0xff;
        if (r == (argb >> 8 & 0xff) && r == (argb & 0xff)) {
            return " (this one holds grey values as RGB, as OpenCV's imwrite of an imread label does: save it as an"
                    + " 8-bit grey or palette PNG)";
        }
        return "";
    }

    /** Encodes a label map as an 8-bit palette PNG in the VOC colours. */
    public static byte[] encode(LabelMap labels) {
        IndexColorModel cm = VocPalette.colorModel();
        WritableRaster raster = cm.createCompatibleWritableRaster(labels.width(), labels.height());
        raster.setDataElements(0, 0, labels.width(), labels.height(), labels.labels());
        BufferedImage img = new BufferedImage(cm, raster, false, null);
        ByteArrayOutputStream buf = new ByteArrayOutputStream(labels.width() * labels.height() / 4 + 1024);
        try {
            if (!ImageIO.write(img, "png", buf)) {
                throw new IllegalStateException("no PNG writer available");
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return buf.toByteArray();
    }

    /** Encodes a label map as an 8-bit grey PNG (the {@code SegmentationClassAug} convention). */
    public static byte[] encodeGrey(LabelMap labels) {
        BufferedImage img = new BufferedImage(labels.width(), labels.height(), BufferedImage.TYPE_BYTE_GRAY);
        img.getRaster().setDataElements(0, 0, labels.width(), labels.height(), labels.labels());
        ByteArrayOutputStream buf = new ByteArrayOutputStream(labels.width() * labels.height() / 4 + 1024);
        try {
            ImageIO.write(img, "png", buf);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return buf.toByteArray();
    }

    /** Writes a label map as a grey PNG, atomically. */
    public static void writeGrey(Path file, LabelMap labels) throws IOException {
        byte[] png = encodeGrey(labels);
        AtomicFiles.write(file, out -> out.write(png));
    }

    /** Writes a label map as a palette PNG, atomically. */
    public static void write(Path file, LabelMap labels) throws IOException {
        byte[] png = encode(labels);
        AtomicFiles.write(file, out -> out.write(png));
    }
}
