package ai.wsbcn.detection.coco.mask;

import java.util.Arrays;
import java.util.List;

/**
 * A binary mask as COCO run-length encoding: {@code counts} alternate between runs of 0s and 1s, starting with 0s,
 * over the pixels in column-major order (pixel {@code (x, y)} is number {@code x * height + y}), as in pycocotools'
 * {@code maskApi.c}. Counts are unsigned 32-bit values stored in ints. Immutable.
 */
public final class Rle {

    private final int height;
    private final int width;
    private final int[] counts;

    /** Wraps counts (copied). Use {@link #isComplete()} to check that they cover exactly {@code height * width}. */
    public Rle(int height, int width, int[] counts) {
        this(height, width, counts.clone(), true);
    }

    /** Takes {@code counts} as is, without the copy: for arrays built by the codecs of this package. */
    Rle(int height, int width, int[] counts, boolean adopt) {
        if (height < 0 || width < 0) {
            throw new IllegalArgumentException("negative mask size " + height + "x" + width);
        }
        this.height = height;
        this.width = width;
        this.counts = counts;
    }

    public int height() {
        return height;
    }

    public int width() {
        return width;
    }

    /** Number of runs. */
    public int runs() {
        return counts.length;
    }

    /** Run {@code i} as an unsigned value. */
    public long count(int i) {
        return Integer.toUnsignedLong(counts[i]);
    }

    public int[] counts() {
        return counts.clone();
    }

    /** Counts array without a copy, for the codecs in this package. */
    int[] rawCounts() {
        return counts;
    }

    /** Sum of all runs as unsigned values; a well-formed RLE has {@code height * width}. */
    public long countSum() {
        long s = 0;
        for (int c : counts) {
            s += Integer.toUnsignedLong(c);
        }
        return s;
    }

    /** True when the runs cover exactly the {@code height * width} pixels of the mask. */
    public boolean isComplete() {
        return countSum() == (long) height * width;
    }

    /** Number of foreground pixels ({@code rleArea}: the sum of the odd runs), unsigned 32-bit as in maskApi. */
    public long area() {
        long a = 0;
        for (int j = 1; j < counts.length; j += 2) {
            a += Integer.toUnsignedLong(counts[j]);
        }
        return a & 0xFFFFFFFFL;
    }

    /**
     * Bounding box {@code [x, y, w, h]} of the foreground, as pycocotools 2.0.8+ {@code rleToBbox} computes it
     * (zero-length foreground runs are skipped; all zeros when there are fewer than two runs).
     */
    public double[] toBbox() {
        int m = (counts.length / 2) * 2;
        if (m == 0 || height == 0) {
            return new double[4];
        }
        long h = height;
        long xs = width;
        long ys = height;
        long xe = 0;
        long ye = 0;
        long cc = 0;
        for (int j = 0; j < m; j++) {
            long start = cc;
            cc = (cc + Integer.toUnsignedLong(counts[j])) & 0xFFFFFFFFL;
            if (j % 2 == 0 || counts[j] == 0) {
                continue;
            }
            long yStart = start % h;
            long xStart = (start - yStart) / h;
            long last = (cc - 1) & 0xFFFFFFFFL;
            long yEnd = last % h;
            long xEnd = (last - yEnd) / h;
            xs = Math.min(xs, xStart);
            xe = Math.max(xe, xEnd);
            if (xStart < xEnd) {
                ys = 0;
                ye = h - 1;
            } else {
                ys = Math.min(ys, yStart);
                ye = Math.max(ye, yEnd);
            }
        }
        // unsigned 32-bit differences, as the C code computes them (only differs for masks without foreground)
        return new double[] {xs, ys, (xe - xs + 1) & 0xFFFFFFFFL, (ye - ys + 1) & 0xFFFFFFFFL};
    }

    /** Encodes a column-major mask ({@code mask[x * height + y]}, non-zero = foreground) as {@code rleEncode}. */
    public static Rle encode(byte[] columnMajor, int height, int width) {
        int a = checkSize(columnMajor.length, height, width);
        int[] buf = new int[a + 1];
        int k = 0;
        boolean p = false;
        int c = 0;
        for (int j = 0; j < a; j++) {
            boolean v = columnMajor[j] != 0;
            if (v != p) {
                buf[k++] = c;
                c = 0;
                p = v;
            }
            c++;
        }
        buf[k++] = c;
        return new Rle(height, width, Arrays.copyOf(buf, k), true);
    }

    /** Encodes a row-major mask ({@code mask[y * width + x]}, non-zero = foreground). */
    public static Rle encodeRowMajor(byte[] rowMajor, int height, int width) {
        checkSize(rowMajor.length, height, width);
        byte[] columnMajor = new byte[rowMajor.length];
        for (int y = 0, i = 0; y < height; y++) {
            for (int x = 0; x < width; x++, i++) {
                columnMajor[x * height + y] = rowMajor[i];
            }
        }
        return encode(columnMajor, height, width);
    }

    /** Decodes to a column-major 0/1 mask; the runs must cover the mask exactly. */
    public byte[] decode() {
        requireComplete();
        byte[] out = new byte[height * width];
        int pos = 0;
        for (int j = 0; j < counts.length; j++) {
            int c = counts[j];
            if ((j & 1) == 1) {
                Arrays.fill(out, pos, pos + c, (byte) 1);
            }
            pos += c;
        }
        return out;
    }

    /** Decodes to a row-major 0/1 mask ({@code mask[y * width + x]}). */
    public byte[] decodeRowMajor() {
        byte[] columnMajor = decode();
        byte[] out = new byte[columnMajor.length];
        for (int x = 0, i = 0; x < width; x++) {
            for (int y = 0; y < height; y++, i++) {
                out[y * width + x] = columnMajor[i];
            }
        }
        return out;
    }

    /**
     * Union ({@code intersect=false}) or intersection of RLEs, run by run as {@code rleMerge}; an empty list gives a
     * 0x0 mask and masks of different sizes give a 0x0 mask with no runs, as in maskApi.
     */
    public static Rle merge(List<Rle> rles, boolean intersect) {
        if (rles.isEmpty()) {
            return new Rle(0, 0, new int[0], true);
        }
        Rle first = rles.get(0);
        if (rles.size() == 1) {
            return first;
        }
        int h = first.height;
        int w = first.width;
        int[] cur = first.counts;
        int curLen = cur.length;
        for (int r = 1; r < rles.size(); r++) {
            Rle b = rles.get(r);
            if (b.height != h || b.width != w) {
                return new Rle(0, 0, new int[0], true);
            }
            int[] out = new int[curLen + b.counts.length + 1];
            int m = mergeTwo(cur, curLen, b.counts, intersect, out);
            cur = out;
            curLen = m;
        }
        return new Rle(h, w, Arrays.copyOf(cur, curLen), true);
    }

    private static int mergeTwo(int[] a, int aLen, int[] b, boolean intersect, int[] out) {
        long ca = Integer.toUnsignedLong(a[0]);
        long cb = Integer.toUnsignedLong(b[0]);
        boolean v = false;
        boolean va = false;
        boolean vb = false;
        int m = 0;
        int ia = 1;
        int ib = 1;
        long cc = 0;
        long ct = 1;
        while (ct > 0) {
            long c = Math.min(ca, cb);
            cc += c;
            ct = 0;
            ca -= c;
            if (ca == 0 && ia < aLen) {
                ca = Integer.toUnsignedLong(a[ia++]);
                va = !va;
            }
            ct += ca;
            cb -= c;
            if (cb == 0 && ib < b.length) {
                cb = Integer.toUnsignedLong(b[ib++]);
                vb = !vb;
            }
            ct += cb;
            boolean vp = v;
            v = intersect ? va && vb : va || vb;
            if (v != vp || ct == 0) {
                out[m++] = (int) cc;
                cc = 0;
            }
        }
        return m;
    }

    /** The compressed string form ({@code rleToString}). */
    public String toCompressedString() {
        return RleStrings.encode(counts);
    }

    /** Reads the compressed string form ({@code rleFrString}) of a {@code height x width} mask. */
    public static Rle fromCompressedString(CharSequence s, int height, int width) {
        return new Rle(height, width, RleStrings.decode(s), true);
    }

    /** Rasterises one polygon {@code [x0, y0, x1, y1, ...]} exactly as {@code rleFrPoly}. */
    public static Rle fromPolygon(double[] xy, int height, int width) {
        return PolygonRasterizer.rasterize(xy, xy.length / 2, height, width);
    }

    /** Rasterises a box {@code [x, y, w, h]} as {@code rleFrBbox} (a 4-point polygon). */
    public static Rle fromBox(double[] xywh, int height, int width) {
        double xs = xywh[0];
        double ys = xywh[1];
        double xe = xs + xywh[2];
        double ye = ys + xywh[3];
        return PolygonRasterizer.rasterize(new double[] {xs, ys, xs, ye, xe, ye, xe, ys}, 4, height, width);
    }

    private void requireComplete() {
        if (!isComplete()) {
            throw new IllegalArgumentException("RLE counts sum to " + countSum() + ", not height*width = "
                    + (long) height * width);
        }
    }

    private static int checkSize(int length, int height, int width) {
        if ((long) height * width != length) {
            throw new IllegalArgumentException("mask has " + length + " bytes, expected " + height + "x" + width);
        }
        return length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Rle r && r.height == height && r.width == width && Arrays.equals(r.counts, counts);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * height + width) + Arrays.hashCode(counts);
    }

    @Override
    public String toString() {
        return "Rle[" + height + "x" + width + ", " + counts.length + " runs, area " + area() + "]";
    }
}
