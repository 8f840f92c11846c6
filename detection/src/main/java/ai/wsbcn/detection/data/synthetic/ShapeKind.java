package ai.wsbcn.detection.data.synthetic;

import java.util.Locale;
import java.util.SplittableRandom;

/** The shapes of the synthetic data set; each is one category. Outlines are polygons (curves finely sampled). */
public enum ShapeKind {
    CIRCLE,
    SQUARE,
    TRIANGLE,
    ELLIPSE,
    STAR,
    HEXAGON;

    /** The category name, e.g. {@code circle}. */
    public String categoryName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The outline {@code [x0, y0, x1, y1, ...]} of a shape of this kind centred at {@code (cx, cy)} that fits in a
     * circle of radius {@code r}, at a random rotation; coordinates are rounded to 1/100 pixel so that the JSON
     * holds exactly the polygon that was rasterised.
     */
    double[] outline(SplittableRandom rng, double cx, double cy, double r) {
        double rot = rng.nextDouble(2 * Math.PI);
        switch (this) {
            case CIRCLE:
                return ellipse(cx, cy, r, r, rot, curveVertices(r));
            case ELLIPSE:
                return ellipse(cx, cy, r, r * (0.4 + 0.3 * rng.nextDouble()), rot, curveVertices(r));
            case SQUARE:
                return star(cx, cy, r, r, 4, rot);
            case TRIANGLE:
                return star(cx, cy, r, r, 3, rot);
            case STAR:
                return star(cx, cy, r, r * 0.45, 5, rot);
            case HEXAGON:
                return star(cx, cy, r, r, 6, rot);
            default:
                throw new IllegalStateException(name());
        }
    }

    private static int curveVertices(double r) {
        return (int) Math.max(16, Math.min(64, Math.round(2 * Math.PI * r / 3)));
    }

    private static double[] ellipse(double cx, double cy, double a, double b, double rot, int n) {
        double[] xy = new double[2 * n];
        double c = Math.cos(rot);
        double s = Math.sin(rot);
        for (int i = 0; i < n; i++) {
            double t = 2 * Math.PI * i / n;
            double x = a * Math.cos(t);
            double y = b * Math.sin(t);
            xy[2 * i] = round(cx + c * x - s * y);
            xy[2 * i + 1] = round(cy + s * x + c * y);
        }
        return xy;
    }

    /** A regular polygon ({@code inner == outer}) or a star with {@code points} tips. */
    private static double[] star(double cx, double cy, double outer, double inner, int points, double rot) {
        boolean regular = inner == outer;
        int n = regular ? points : 2 * points;
        double[] xy = new double[2 * n];
        for (int i = 0; i < n; i++) {
            double rr = regular || i % 2 == 0 ? outer : inner;
            double t = rot + 2 * Math.PI * i / n;
            xy[2 * i] = round(cx + rr * Math.cos(t));
            xy[2 * i + 1] = round(cy + rr * Math.sin(t));
        }
        return xy;
    }

    private static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }
}
