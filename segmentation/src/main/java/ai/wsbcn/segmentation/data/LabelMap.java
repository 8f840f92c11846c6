package ai.wsbcn.segmentation.data;

/**
 * A per-pixel class map: {@code height x width} unsigned bytes, row-major; 255 marks pixels to ignore. The array is
 * shared, not copied: treat it as read-only once the map is built.
 */
public record LabelMap(int width, int height, byte[] labels) {

    /** The ignore label of VOC (object boundaries, padding). */
    public static final int IGNORE = 255;

    public LabelMap {
        if (width <= 0 || height <= 0 || labels.length != width * height) {
            throw new IllegalArgumentException("label map " + width + "x" + height + " needs " + (long) width * height
                    + " bytes, got " + labels.length);
        }
    }

    /** An all-{@code value} map. */
    public static LabelMap filled(int width, int height, int value) {
        byte[] b = new byte[width * height];
        java.util.Arrays.fill(b, (byte) value);
        return new LabelMap(width, height, b);
    }

    /** The label at column {@code x}, row {@code y}, 0..255. */
    public int get(int x, int y) {
        return labels[y * width + x] & 0xff;
    }
}
