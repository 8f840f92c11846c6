package ai.wsbcn.detection.coco.mask;

import java.util.Arrays;

/**
 * Polygon to RLE with the pixel decisions of pycocotools' {@code rleFrPoly}: the outline is walked on a grid
 * upsampled 5x, the points where it crosses a pixel column are kept, and each crossing toggles foreground at the first
 * pixel centre below it. The integer casts truncate toward zero like C's; every step follows the C code so that masks
 * agree pixel for pixel.
 */
final class PolygonRasterizer {

    private static final double SCALE = 5;

    private PolygonRasterizer() {}

    /** {@code k} points from {@code xy = [x0, y0, x1, y1, ...]} onto an {@code h x w} mask. */
    static Rle rasterize(double[] xy, int k, int h, int w) {
        // upsample and get discrete points densely along the entire boundary
        int[] x = new int[k + 1];
        int[] y = new int[k + 1];
        for (int j = 0; j < k; j++) {
            x[j] = (int) (SCALE * xy[j * 2] + .5);
            y[j] = (int) (SCALE * xy[j * 2 + 1] + .5);
        }
        if (k > 0) {
            x[k] = x[0];
            y[k] = y[0];
        }
        long total = 0;
        for (int j = 0; j < k; j++) {
            total += Math.max(Math.abs(x[j] - x[j + 1]), Math.abs(y[j] - y[j + 1])) + 1L;
        }
        if (total > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("polygon outline too long to rasterise (" + total + " points)");
        }
        int[] u = new int[(int) total];
        int[] v = new int[(int) total];
        int m = 0;
        for (int j = 0; j < k; j++) {
            int xs = x[j];
            int xe = x[j + 1];
            int ys = y[j];
            int ye = y[j + 1];
            int dx = Math.abs(xe - xs);
            int dy = Math.abs(ys - ye);
            boolean flip = (dx >= dy && xs > xe) || (dx < dy && ys > ye);
            if (flip) {
                int t = xs;
                xs = xe;
                xe = t;
                t = ys;
                ys = ye;
                ye = t;
            }
            // a repeated vertex gives dx == dy == 0 and s = NaN; its single point never starts a column change
            double s = dx >= dy ? (double) (ye - ys) / dx : (double) (xe - xs) / dy;
            if (dx >= dy) {
                for (int d = 0; d <= dx; d++) {
                    int t = flip ? dx - d : d;
                    u[m] = t + xs;
                    v[m] = (int) (ys + s * t + .5);
                    m++;
                }
            } else {
                for (int d = 0; d <= dy; d++) {
                    int t = flip ? dy - d : d;
                    v[m] = t + ys;
                    u[m] = (int) (xs + s * t + .5);
                    m++;
                }
            }
        }
        // get points along the y-boundary and downsample
        int n = m;
        int[] bx = new int[n];
        int[] by = new int[n];
        m = 0;
        double maxX = w - 1.0;
        for (int j = 1; j < n; j++) {
            if (u[j] == u[j - 1]) {
                continue;
            }
            double xd = u[j] < u[j - 1] ? u[j] : u[j] - 1;
            xd = (xd + .5) / SCALE - .5;
            if (Math.floor(xd) != xd || xd < 0 || xd > maxX) {
                continue;
            }
            double yd = v[j] < v[j - 1] ? v[j] : v[j - 1];
            yd = (yd + .5) / SCALE - .5;
            if (yd < 0) {
                yd = 0;
            } else if (yd > h) {
                yd = h;
            }
            yd = Math.ceil(yd);
            bx[m] = (int) xd;
            by[m] = (int) yd;
            m++;
        }
        // compute the rle encoding given the y-boundary points
        int[] a = new int[m + 1];
        for (int j = 0; j < m; j++) {
            a[j] = bx[j] * h + by[j];
        }
        a[m] = h * w;
        int len = m + 1;
        Arrays.sort(a, 0, len);
        int p = 0;
        for (int j = 0; j < len; j++) {
            int t = a[j];
            a[j] -= p;
            p = t;
        }
        int[] b = new int[len];
        int j = 0;
        int r = 0;
        b[r++] = a[j++];
        while (j < len) {
            if (a[j] > 0) {
                b[r++] = a[j++];
            } else {
                j++;
                if (j < len) {
                    b[r - 1] += a[j++];
                }
            }
        }
        return new Rle(h, w, Arrays.copyOf(b, r), true);
    }
}
