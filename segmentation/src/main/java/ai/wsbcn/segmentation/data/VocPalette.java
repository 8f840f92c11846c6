package ai.wsbcn.segmentation.data;

import java.awt.image.IndexColorModel;
import java.util.List;

/**
 * The PASCAL VOC colour map: class {@code i} is drawn in the colour whose red, green and blue bytes take the bits of
 * {@code i} interleaved from the top (bit 0 of {@code i} to red's bit 7, bit 1 to green's bit 7, bit 2 to blue's bit
 * 7, bit 3 to red's bit 6, ...). Index 255 (ignore) comes out as the light cream of the VOC boundary band.
 */
public final class VocPalette {

    /** The 21 VOC 2012 class names, background first. */
    public static final List<String> VOC_CLASSES = List.of("background", "aeroplane", "bicycle", "bird", "boat",
            "bottle", "bus", "car", "cat", "chair", "cow", "diningtable", "dog", "horse", "motorbike", "person",
            "pottedplant", "sheep", "sofa", "train", "tvmonitor");

    private static final byte[] RGB = build();

    private VocPalette() {}

    private static byte[] build() {
        byte[] rgb = new byte[256 * 3];
        for (int i = 0; i < 256; i++) {
            int r = 0;
            int g = 0;
            int b = 0;
            int c = i;
            for (int bit = 7; bit >= 0; bit--) {
                r |= (c & 1) << bit;
                g |= ((c >> 1) & 1) << bit;
                b |= ((c >> 2) & 1) << bit;
                c >>= 3;
            }
            rgb[3 * i] = (byte) r;
            rgb[3 * i + 1] = (byte) g;
            rgb[3 * i + 2] = (byte) b;
        }
        return rgb;
    }

    /** The colour of index {@code i} as {@code 0xRRGGBB}. */
    public static int rgb(int i) {
        return (RGB[3 * i] & 0xff) << 16 | (RGB[3 * i + 1] & 0xff) << 8 | (RGB[3 * i + 2] & 0xff);
    }

    /** Red, green or blue ({@code channel} 0, 1, 2) of index {@code i}. */
    public static int component(int i, int channel) {
        return RGB[3 * i + channel] & 0xff;
    }

    /** An 8-bit colour model with the 256 VOC colours, for writing palette PNGs. */
    public static IndexColorModel colorModel() {
        byte[] r = new byte[256];
        byte[] g = new byte[256];
        byte[] b = new byte[256];
        for (int i = 0; i < 256; i++) {
            r[i] = RGB[3 * i];
            g[i] = RGB[3 * i + 1];
            b[i] = RGB[3 * i + 2];
        }
        return new IndexColorModel(8, 256, r, g, b);
    }

    /** The index whose colour is {@code 0xRRGGBB}, or -1 when the colour is not in the palette. */
    public static int indexOf(int rgb) {
        return Lookup.INDEX.getOrDefault(rgb & 0xffffff, -1);
    }

    private static final class Lookup {
        static final java.util.Map<Integer, Integer> INDEX = new java.util.HashMap<>();

        static {
            for (int i = 255; i >= 0; i--) {
                INDEX.put(rgb(i), i);
            }
        }
    }
}
