package ai.wsbcn.segmentation.data.synthetic;

/**
 * The object classes of {@link SyntheticVoc} (class index = ordinal + 1; 0 is background). Each class has its own
 * outline and a hue family, so a small network can learn it in minutes while still having to use shape and texture.
 */
public enum ShapeClass {
    DISC(0.0),
    SQUARE(2.0),
    TRIANGLE(4.0),
    CROSS(1.0),
    RING(3.0);

    private final double hue;

    ShapeClass(double hue) {
        this.hue = hue;
    }

    /** Centre of the class's hue range on the 0..6 hue circle. */
    double hue() {
        return hue;
    }

    public String className() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /**
     * Whether pixel centre ({@code u}, {@code v}), given in the shape's own frame (rotated, centred, divided by the
     * radius), lies inside the shape.
     */
    boolean contains(double u, double v) {
        switch (this) {
            case DISC:
                return u * u + v * v <= 1;
            case SQUARE:
                return Math.abs(u) <= 0.8 && Math.abs(v) <= 0.8;
            case TRIANGLE:
                return insideTriangle(u, v);
            case CROSS:
                return (Math.abs(u) <= 0.95 && Math.abs(v) <= 0.3) || (Math.abs(u) <= 0.3 && Math.abs(v) <= 0.95);
            case RING: {
                double r2 = u * u + v * v;
                return r2 <= 1 && r2 >= 0.45 * 0.45;
            }
            default:
                throw new AssertionError(this);
        }
    }

    private static boolean insideTriangle(double u, double v) {
        // vertices (0,-1), (-sqrt3/2, 0.5), (sqrt3/2, 0.5): below the top edge and inside both slanted edges
        return v <= 0.5 && Math.abs(u) <= (v + 1) / Math.sqrt(3);
    }
}
