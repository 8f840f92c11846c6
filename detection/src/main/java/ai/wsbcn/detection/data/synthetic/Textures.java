package ai.wsbcn.detection.data.synthetic;

import ai.wsbcn.util.Hsv;

import java.util.SplittableRandom;

/**
 * Textured backgrounds (gradients, stripes, checkerboards, smooth blotches, all with pixel noise) and random colours,
 * so that a detector cannot find the shapes by colour or edges alone.
 */
final class Textures {

    private static final int NOISE = 14;

    private Textures() {}

    /** Paints a random texture into {@code bgr} ({@code h x w x 3}, row-major). */
    static void paintBackground(SplittableRandom rng, byte[] bgr, int w, int h) {
        int[] c0 = randomColor(rng, 0.1, 0.5, 0.3, 0.9);
        int[] c1 = randomColor(rng, 0.1, 0.6, 0.3, 0.9);
        int kind = rng.nextInt(4);
        double angle = rng.nextDouble(Math.PI);
        double ca = Math.cos(angle);
        double sa = Math.sin(angle);
        double period = 6 + rng.nextDouble(Math.max(w, h) / 4.0);
        int cell = 4 + rng.nextInt(Math.max(5, Math.min(w, h) / 6));
        double[] blotches = kind == 3 ? grid(rng, 6) : null;
        double diag = Math.hypot(w, h);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double t;
                switch (kind) {
                    case 0:
                        t = ((x * ca + y * sa) / diag + 1) / 2;
                        break;
                    case 1:
                        t = 0.5 + 0.5 * Math.sin(2 * Math.PI * (x * ca + y * sa) / period);
                        break;
                    case 2:
                        t = ((x / cell + y / cell) & 1) == 0 ? 0.15 : 0.85;
                        break;
                    default:
                        t = bilinear(blotches, 6, (double) x / w, (double) y / h);
                }
                int o = 3 * (y * w + x);
                for (int c = 0; c < 3; c++) {
                    double v = c0[c] + t * (c1[c] - c0[c]) + rng.nextInt(2 * NOISE + 1) - NOISE;
                    bgr[o + c] = (byte) Math.max(0, Math.min(255, (int) Math.round(v)));
                }
            }
        }
    }

    /** A random colour in BGR with saturation and value in the given ranges. */
    static int[] randomColor(SplittableRandom rng, double sLo, double sHi, double vLo, double vHi) {
        double hue = rng.nextDouble(6);
        double s = sLo + rng.nextDouble() * (sHi - sLo);
        double v = vLo + rng.nextDouble() * (vHi - vLo);
        int[] rgb = Hsv.toRgb(hue, s, v);
        return new int[] {rgb[2], rgb[1], rgb[0]};
    }

    private static double[] grid(SplittableRandom rng, int n) {
        double[] g = new double[(n + 1) * (n + 1)];
        for (int i = 0; i < g.length; i++) {
            g[i] = rng.nextDouble();
        }
        return g;
    }

    private static double bilinear(double[] g, int n, double u, double v) {
        double x = u * n;
        double y = v * n;
        int x0 = Math.min((int) x, n - 1);
        int y0 = Math.min((int) y, n - 1);
        double fx = x - x0;
        double fy = y - y0;
        int s = n + 1;
        double top = g[y0 * s + x0] * (1 - fx) + g[y0 * s + x0 + 1] * fx;
        double bottom = g[(y0 + 1) * s + x0] * (1 - fx) + g[(y0 + 1) * s + x0 + 1] * fx;
        return top * (1 - fy) + bottom * fy;
    }
}
