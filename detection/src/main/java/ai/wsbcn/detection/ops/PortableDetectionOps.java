package ai.wsbcn.detection.ops;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.wsbcn.detection.box.Nms;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * RoIAlign from engine-neutral NDArray operations, so any engine's autograd differentiates it.
 *
 * <p>torchvision's bilinear sampling is separable: a bin's value is {@code sum_y sum_x Ay[y] Ax[x] F[y, x]}, where
 * {@code Ay} (resp. {@code Ax}) holds the bilinear weights of the bin's sample rows (columns) divided by the grid
 * size. The sample geometry is computed on the host; per RoI only the distinct feature rows and columns its samples
 * touch are gathered (one row gather from an (N*H*W, C) view, so the index array is small and the gradient is the
 * engine's scatter-add), and the two weight matrices are applied as batched matrix products (BLAS), which avoids the
 * slow generic reductions of some engines. RoIs are grouped by window size so that the gathered volume is not padded
 * to the largest RoI's. Results match torchvision to float rounding (~1e-6).
 */
public final class PortableDetectionOps implements DetectionOps {

    /** Window sizes are rounded up to multiples of this many rows/columns when grouping RoIs. */
    private static final int BUCKET = 4;

    @Override
    public NDArray roiAlign(NDArray features, NDArray rois, int outH, int outW, float spatialScale,
                            int samplingRatio, boolean aligned) {
        Shape fs = features.getShape();
        if (fs.dimension() != 4) {
            throw new IllegalArgumentException("roiAlign: features must be (N,C,H,W), got " + fs);
        }
        int n = (int) fs.get(0);
        int c = (int) fs.get(1);
        int h = (int) fs.get(2);
        int w = (int) fs.get(3);
        float[] r = rois.toType(DataType.FLOAT32, false).toFloatArray();
        if (r.length % 5 != 0) {
            throw new IllegalArgumentException("roiAlign: rois must be (K,5), got " + rois.getShape());
        }
        int k = r.length / 5;
        NDManager m = features.getManager();
        if (k == 0) {
            return m.zeros(new Shape(0, c, outH, outW), features.getDataType());
        }
        RoiGrid[] gy = new RoiGrid[k];
        RoiGrid[] gx = new RoiGrid[k];
        int[][] rows = new int[k][];
        int[][] cols = new int[k][];
        for (int i = 0; i < k; i++) {
            int b = (int) r[5 * i];
            if (b < 0 || b >= n) {
                throw new IllegalArgumentException("roiAlign: roi " + i + " has batch index " + b + " outside [0, "
                        + n + ")");
            }
            gy[i] = RoiGrid.of(r[5 * i + 2], r[5 * i + 4], spatialScale, outH, samplingRatio, aligned, h);
            gx[i] = RoiGrid.of(r[5 * i + 1], r[5 * i + 3], spatialScale, outW, samplingRatio, aligned, w);
            rows[i] = touched(gy[i], h);
            cols[i] = touched(gx[i], w);
        }
        // The gathered volume is (rows x columns touched) per RoI, padded to the largest in a call: RoIs are
        // grouped by that size (rounded up to BUCKET) so small RoIs do not pay for the largest one's window.
        Integer[] order = new Integer[k];
        int[] bucket = new int[k];
        for (int i = 0; i < k; i++) {
            order[i] = i;
            int side = Math.max(Math.max(rows[i].length, cols[i].length), 1);
            bucket[i] = (side + BUCKET - 1) / BUCKET;
        }
        Arrays.sort(order, Comparator.comparingInt(i -> bucket[i]));
        NDArray flat = features.transpose(0, 2, 3, 1).reshape((long) n * h * w, c);
        List<NDArray> parts = new ArrayList<>();
        int[] positionOf = new int[k];
        int start = 0;
        while (start < k) {
            int end = start;
            while (end < k && bucket[order[end]] == bucket[order[start]]) {
                end++;
            }
            int[] members = new int[end - start];
            for (int j = start; j < end; j++) {
                members[j - start] = order[j];
                positionOf[order[j]] = j;
            }
            parts.add(pool(flat, members, r, gy, gx, rows, cols, h, w, c, outH, outW));
            start = end;
        }
        NDArray pooled = parts.size() == 1 ? parts.get(0) : NDArrays.concat(new NDList(parts), 0);
        boolean identity = true;
        for (int i = 0; i < k && identity; i++) {
            identity = positionOf[i] == i;
        }
        NDArray ordered = identity ? pooled : Gather.rows(pooled, positionOf);
        return ordered.reshape(k, outH, outW, c).transpose(0, 3, 1, 2);
    }

    /** RoIs {@code members} (same window bucket) from the (N*H*W, C) view: (count, outH, outW, C). */
    private static NDArray pool(NDArray flat, int[] members, float[] r, RoiGrid[] gy, RoiGrid[] gx, int[][] rows,
                                int[][] cols, int h, int w, int c, int outH, int outW) {
        int k = members.length;
        int ly = 1;
        int lx = 1;
        for (int i : members) {
            ly = Math.max(ly, rows[i].length);
            lx = Math.max(lx, cols[i].length);
        }
        float[] ay = new float[k * outH * ly];
        float[] axRep = new float[k * outH * outW * lx];
        long[] idx = new long[k * ly * lx];
        for (int q = 0; q < k; q++) {
            int i = members[q];
            weights(gy[i], rows[i], h, outH, ly, ay, q * outH * ly);
            float[] ax = new float[outW * lx];
            weights(gx[i], cols[i], w, outW, lx, ax, 0);
            for (int p = 0; p < outH; p++) {
                System.arraycopy(ax, 0, axRep, (q * outH + p) * outW * lx, ax.length);
            }
            long base = (long) ((int) r[5 * i]) * h * w;
            for (int a = 0; a < ly; a++) {
                // padding slots repeat a touched row/column; their weights are zero
                int y = a < rows[i].length ? rows[i][a] : rows[i].length > 0 ? rows[i][0] : 0;
                for (int bcol = 0; bcol < lx; bcol++) {
                    int x = bcol < cols[i].length ? cols[i][bcol] : cols[i].length > 0 ? cols[i][0] : 0;
                    idx[(q * ly + a) * lx + bcol] = base + (long) y * w + x;
                }
            }
        }
        NDManager m = flat.getManager();
        DataType dt = flat.getDataType();
        NDArray gathered = gatherRows(flat, m.create(idx)).reshape(k, ly, (long) lx * c);
        NDArray ayArr = m.create(ay, new Shape(k, outH, ly)).toType(dt, false);
        NDArray overRows = ayArr.matMul(gathered).reshape((long) k * outH, lx, c);
        NDArray axArr = m.create(axRep, new Shape((long) k * outH, outW, lx)).toType(dt, false);
        return axArr.matMul(overRows).reshape(k, outH, outW, c);
    }

    /**
     * Rows {@code idx} of a 2-D array as an embedding lookup: the same gather as indexing, but PyTorch's
     * embedding backward (dense) is ~2x faster than the index_put backward of advanced indexing.
     */
    static NDArray gatherRows(NDArray x, NDArray idx) {
        return x.getNDArrayInternal().embedding(idx, x, SparseFormat.DENSE).head();
    }

    /** Sorted distinct feature indices that valid samples of this axis touch. */
    private static int[] touched(RoiGrid g, int size) {
        boolean[] used = new boolean[size];
        int count = 0;
        for (int s = 0; s < g.valid.length; s++) {
            if (g.valid[s]) {
                if (!used[g.low[s]]) {
                    used[g.low[s]] = true;
                    count++;
                }
                if (!used[g.high[s]]) {
                    used[g.high[s]] = true;
                    count++;
                }
            }
        }
        int[] out = new int[count];
        int j = 0;
        for (int i = 0; i < size; i++) {
            if (used[i]) {
                out[j++] = i;
            }
        }
        return out;
    }

    /** Per bin, the bilinear weights of its samples on the touched indices, divided by the grid size. */
    private static void weights(RoiGrid g, int[] touched, int size, int bins, int slots, float[] dst, int offset) {
        int[] pos = new int[size];
        for (int j = 0; j < touched.length; j++) {
            pos[touched[j]] = j;
        }
        if (g.grid == 0) {
            return; // empty grid: torchvision outputs zeros
        }
        float inv = 1f / g.grid;
        for (int p = 0; p < bins; p++) {
            for (int i = 0; i < g.grid; i++) {
                int s = p * g.grid + i;
                if (!g.valid[s]) {
                    continue;
                }
                dst[offset + p * slots + pos[g.low[s]]] += g.wLow[s] * inv;
                dst[offset + p * slots + pos[g.high[s]]] += g.wHigh[s] * inv;
            }
        }
    }

    @Override
    public int[] nms(float[] boxes, float[] scores, float iouThreshold) {
        return Nms.nms(boxes, scores, iouThreshold);
    }
}
