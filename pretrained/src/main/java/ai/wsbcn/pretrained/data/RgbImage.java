package ai.wsbcn.pretrained.data;

import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.util.Objects;

/** A decoded image: {@code height x width x 3} bytes, row-major, RGB order. */
public record RgbImage(int width, int height, byte[] rgb) {

    /**
     * The pixels of a {@link BufferedImage} of any type (alpha dropped, as PIL's {@code convert("RGB")} does). Grey
     * images give their stored values on the three channels, as PIL and OpenCV read them: {@code getRGB} would pass
     * them through Java's linear grey colour space and brighten them (128 becomes 188). 16-bit grey keeps the high
     * byte.
     */
    public static RgbImage of(BufferedImage image) {
        Objects.requireNonNull(image, "image");
        int w = image.getWidth();
        int h = image.getHeight();
        byte[] rgb = new byte[3 * w * h];
        int[] row = new int[w];
        boolean grey = image.getType() == BufferedImage.TYPE_BYTE_GRAY
                || image.getType() == BufferedImage.TYPE_USHORT_GRAY;
        int greyShift = image.getType() == BufferedImage.TYPE_USHORT_GRAY ? 8 : 0;
        Raster raster = image.getRaster();
        for (int y = 0; y < h; y++) {
            if (grey) {
                raster.getSamples(0, y, w, 1, 0, row);
            } else {
                image.getRGB(0, y, w, 1, row, 0, w);
            }
            for (int x = 0; x < w; x++) {
                int o = 3 * (y * w + x);
                int p = row[x];
                if (grey) {
                    byte v = (byte) (p >> greyShift);
                    rgb[o] = v;
                    rgb[o + 1] = v;
                    rgb[o + 2] = v;
                } else {
                    rgb[o] = (byte) (p >> 16);
                    rgb[o + 1] = (byte) (p >> 8);
                    rgb[o + 2] = (byte) p;
                }
            }
        }
        return new RgbImage(w, h, rgb);
    }

    public RgbImage {
        if (width <= 0 || height <= 0 || rgb.length != 3 * width * height) {
            throw new IllegalArgumentException("image " + width + "x" + height + " needs " + 3L * width * height
                    + " bytes, got " + rgb.length);
        }
    }
}
