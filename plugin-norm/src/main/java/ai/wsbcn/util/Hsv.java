package ai.wsbcn.util;

/** Colour conversion for the synthetic data sets, which pick their colours by hue, saturation and value. */
public final class Hsv {

    private Hsv() {}

    /**
     * RGB, each 0..255, of hue {@code h} in [0, 6) (one unit per sextant: red, yellow, green, cyan, blue, magenta),
     * saturation and value in [0, 1].
     */
    public static int[] toRgb(double h, double s, double v) {
        int sector = (int) h;
        double f = h - sector;
        double p = v * (1 - s);
        double q = v * (1 - s * f);
        double t = v * (1 - s * (1 - f));
        double[] rgb = switch (sector) {
            case 0 -> new double[] {v, t, p};
            case 1 -> new double[] {q, v, p};
            case 2 -> new double[] {p, v, t};
            case 3 -> new double[] {p, q, v};
            case 4 -> new double[] {t, p, v};
            default -> new double[] {v, p, q};
        };
        return new int[] {(int) Math.round(rgb[0] * 255), (int) Math.round(rgb[1] * 255),
                (int) Math.round(rgb[2] * 255)};
    }
}
