package ai.wsbcn.detection.coco.eval;

/**
 * pycocotools' {@code accumulate()} for one category: the detections of all images are concatenated in image order,
 * stable-sorted by score (so ties go by image id, then by rank in the image), and for each area range, maxDets and IoU
 * threshold the precision/recall curve is built with {@code tp / (tp + fp + eps)}, made non-increasing from the right
 * and read at the recall thresholds with a left {@code searchsorted}.
 */
final class Accumulator {

    private final EvalInput in;
    private final PairEvaluation[] pairs;
    /** {@code [T][R][K][A][M]} flattened, -1 where there is no ground truth. */
    private final double[] precision;
    /** {@code [T][K][A][M]} flattened. */
    private final double[] recall;

    Accumulator(EvalInput in, PairEvaluation[] pairs, double[] precision, double[] recall) {
        this.in = in;
        this.pairs = pairs;
        this.precision = precision;
        this.recall = recall;
    }

    /** Accumulates category {@code k}, whose pairs are {@code pairFrom .. pairTo - 1} (in image order). */
    void accumulate(int k, int pairFrom, int pairTo) {
        int numT = CocoEvalParams.numIou();
        int numR = CocoEvalParams.numRecall();
        int numK = in.numCategories();
        int numA = CocoEvalParams.numAreas();
        int numM = CocoEvalParams.numMaxDets();

        int n = 0;
        for (int p = pairFrom; p < pairTo; p++) {
            n += pairs[p].numDt;
        }
        double[] score = new double[n];
        int[] rank = new int[n];
        int[] pairOf = new int[n];
        int e = 0;
        for (int p = pairFrom; p < pairTo; p++) {
            PairEvaluation pe = pairs[p];
            for (int d = 0; d < pe.numDt; d++, e++) {
                score[e] = pe.scores[d];
                rank[e] = d;
                pairOf[e] = p;
            }
        }
        int[] order = StableSort.descending(score, n);
        // the detections within maxDets of their image, in the sorted order (the same for every area range)
        int[][] selected = new int[numM][];
        int[] numSelected = new int[numM];
        for (int m = 0; m < numM; m++) {
            int maxDet = CocoEvalParams.maxDet(m);
            int[] sel = new int[n];
            int c = 0;
            for (int j = 0; j < n; j++) {
                if (rank[order[j]] < maxDet) {
                    sel[c++] = order[j];
                }
            }
            selected[m] = sel;
            numSelected[m] = c;
        }
        double[] rc = new double[n];
        double[] pr = new double[n];
        for (int a = 0; a < numA; a++) {
            long npig = 0;
            for (int p = pairFrom; p < pairTo; p++) {
                npig += pairs[p].numRegularGt[a];
            }
            if (npig == 0) {
                continue;
            }
            for (int m = 0; m < numM; m++) {
                int[] sel = selected[m];
                int nd = numSelected[m];
                for (int t = 0; t < numT; t++) {
                    double tp = 0;
                    double fp = 0;
                    for (int j = 0; j < nd; j++) {
                        int x = sel[j];
                        PairEvaluation pe = pairs[pairOf[x]];
                        byte s = pe.states[(a * numT + t) * pe.numDt + rank[x]];
                        if (s == PairEvaluation.TRUE_POSITIVE) {
                            tp++;
                        } else if (s == PairEvaluation.FALSE_POSITIVE) {
                            fp++;
                        }
                        rc[j] = tp / npig;
                        pr[j] = tp / (fp + tp + NumpyCompat.EPS);
                    }
                    recall[((t * numK + k) * numA + a) * numM + m] = nd > 0 ? rc[nd - 1] : 0;
                    for (int i = nd - 1; i > 0; i--) {
                        if (pr[i] > pr[i - 1]) {
                            pr[i - 1] = pr[i];
                        }
                    }
                    int pi = 0;
                    for (int r = 0; r < numR; r++) {
                        double thr = CocoEvalParams.recall(r);
                        while (pi < nd && rc[pi] < thr) {
                            pi++;
                        }
                        precision[(((t * numR + r) * numK + k) * numA + a) * numM + m] = pi < nd ? pr[pi] : 0;
                    }
                }
            }
        }
    }
}
