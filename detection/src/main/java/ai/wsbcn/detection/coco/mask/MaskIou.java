package ai.wsbcn.detection.coco.mask;

/**
 * Intersection over union of boxes and of RLE masks with the arithmetic of pycocotools' {@code bbIou} and
 * {@code rleIou}. For a crowd ground truth the union is replaced by the detection's area (IoU = intersection /
 * detection area). Results are written row-major, {@code out[d * n + g]} for detection {@code d} and ground truth
 * {@code g} (pycocotools returns the same matrix, {@code ious[d, g]}).
 */
public final class MaskIou {

    private MaskIou() {}

    /**
     * IoU of {@code m} detection boxes and {@code n} ground-truth boxes, each {@code [x, y, w, h]} packed in
     * {@code dt[4 * d ...]} and {@code gt[4 * g ...]}.
     */
    public static void boxIou(double[] dt, int m, double[] gt, int n, boolean[] crowd, double[] out) {
        for (int g = 0; g < n; g++) {
            int go = 4 * g;
            double gx = gt[go];
            double gy = gt[go + 1];
            double gw = gt[go + 2];
            double gh = gt[go + 3];
            double ga = gw * gh;
            boolean isCrowd = crowd != null && crowd[g];
            for (int d = 0; d < m; d++) {
                int dof = 4 * d;
                double dx = dt[dof];
                double dy = dt[dof + 1];
                double dw = dt[dof + 2];
                double dh = dt[dof + 3];
                double da = dw * dh;
                int o = d * n + g;
                out[o] = 0;
                double w = Math.min(dw + dx, gw + gx) - Math.max(dx, gx);
                if (w <= 0) {
                    continue;
                }
                double h = Math.min(dh + dy, gh + gy) - Math.max(dy, gy);
                if (h <= 0) {
                    continue;
                }
                double i = w * h;
                double u = isCrowd ? da : da + ga - i;
                out[o] = i / u;
            }
        }
    }

    /** One box pair; {@code crowd} applies the crowd rule for the ground truth. */
    public static double boxIou(double[] dt, double[] gt, boolean crowd) {
        double[] out = new double[1];
        boxIou(dt, 1, gt, 1, new boolean[] {crowd}, out);
        return out[0];
    }

    /**
     * IoU of RLE masks. As in maskApi the boxes of the masks are compared first and only overlapping pairs are
     * merged run by run; masks of different sizes give -1.
     */
    public static void rleIou(Rle[] dt, int m, Rle[] gt, int n, boolean[] crowd, double[] out) {
        double[] db = new double[4 * m];
        double[] gb = new double[4 * n];
        long[] dtArea = new long[m];
        for (int d = 0; d < m; d++) {
            System.arraycopy(dt[d].toBbox(), 0, db, 4 * d, 4);
            dtArea[d] = dt[d].area();
        }
        for (int g = 0; g < n; g++) {
            System.arraycopy(gt[g].toBbox(), 0, gb, 4 * g, 4);
        }
        boxIou(db, m, gb, n, crowd, out);
        for (int g = 0; g < n; g++) {
            boolean isCrowd = crowd != null && crowd[g];
            for (int d = 0; d < m; d++) {
                int o = d * n + g;
                if (out[o] > 0) {
                    out[o] = rleIou(dt[d], gt[g], isCrowd, dtArea[d]);
                }
            }
        }
    }

    /** One mask pair; {@code crowd} applies the crowd rule for the ground truth. */
    public static double rleIou(Rle dt, Rle gt, boolean crowd) {
        double[] out = new double[1];
        rleIou(new Rle[] {dt}, 1, new Rle[] {gt}, 1, new boolean[] {crowd}, out);
        return out[0];
    }

    private static double rleIou(Rle dt, Rle gt, boolean crowd, long dtArea) {
        if (dt.height() != gt.height() || dt.width() != gt.width()) {
            return -1;
        }
        int[] a = dt.rawCounts();
        int[] b = gt.rawCounts();
        if (a.length == 0 || b.length == 0) {
            return 0;
        }
        long ca = Integer.toUnsignedLong(a[0]);
        long cb = Integer.toUnsignedLong(b[0]);
        int ka = a.length;
        int kb = b.length;
        boolean va = false;
        boolean vb = false;
        int ia = 1;
        int ib = 1;
        long inter = 0;
        long union = 0;
        long ct = 1;
        while (ct > 0) {
            long c = Math.min(ca, cb);
            if (va || vb) {
                union += c;
                if (va && vb) {
                    inter += c;
                }
            }
            ct = 0;
            ca -= c;
            if (ca == 0 && ia < ka) {
                ca = Integer.toUnsignedLong(a[ia++]);
                va = !va;
            }
            ct += ca;
            cb -= c;
            if (cb == 0 && ib < kb) {
                cb = Integer.toUnsignedLong(b[ib++]);
                vb = !vb;
            }
            ct += cb;
        }
        // the C code keeps both as uint
        inter &= 0xFFFFFFFFL;
        union &= 0xFFFFFFFFL;
        if (inter == 0) {
            union = 1;
        } else if (crowd) {
            union = dtArea;
        }
        return (double) inter / (double) union;
    }
}
