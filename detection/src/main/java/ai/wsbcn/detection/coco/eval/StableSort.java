package ai.wsbcn.detection.coco.eval;

/**
 * Stable argsort by descending key on primitive arrays: equal keys keep their input order, like numpy's
 * {@code np.argsort(-keys, kind='mergesort')}. Keys must not be NaN.
 */
final class StableSort {

    private static final int INSERTION_LIMIT = 24;

    private StableSort() {}

    /** Indices {@code 0..n-1} ordered by {@code keys[i]} descending, ties in index order. */
    static int[] descending(double[] keys, int n) {
        int[] idx = new int[n];
        for (int i = 0; i < n; i++) {
            idx[i] = i;
        }
        if (n > 1) {
            sort(keys, idx, new int[n], 0, n);
        }
        return idx;
    }

    private static void sort(double[] keys, int[] idx, int[] tmp, int lo, int hi) {
        if (hi - lo <= INSERTION_LIMIT) {
            for (int i = lo + 1; i < hi; i++) {
                int v = idx[i];
                double kv = keys[v];
                int j = i - 1;
                while (j >= lo && keys[idx[j]] < kv) {
                    idx[j + 1] = idx[j];
                    j--;
                }
                idx[j + 1] = v;
            }
            return;
        }
        int mid = (lo + hi) >>> 1;
        sort(keys, idx, tmp, lo, mid);
        sort(keys, idx, tmp, mid, hi);
        if (keys[idx[mid - 1]] >= keys[idx[mid]]) {
            return;
        }
        System.arraycopy(idx, lo, tmp, lo, hi - lo);
        int i = lo;
        int j = mid;
        int k = lo;
        while (i < mid && j < hi) {
            // take from the right only when strictly greater: equal keys stay in input order
            if (keys[tmp[j]] > keys[tmp[i]]) {
                idx[k++] = tmp[j++];
            } else {
                idx[k++] = tmp[i++];
            }
        }
        while (i < mid) {
            idx[k++] = tmp[i++];
        }
        while (j < hi) {
            idx[k++] = tmp[j++];
        }
    }
}
