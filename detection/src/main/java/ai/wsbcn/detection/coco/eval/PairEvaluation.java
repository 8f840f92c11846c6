package ai.wsbcn.detection.coco.eval;

import ai.wsbcn.detection.coco.json.CocoResults;
import ai.wsbcn.detection.coco.mask.MaskIou;
import ai.wsbcn.detection.coco.mask.Rle;

import java.util.Arrays;

/**
 * pycocotools' {@code computeIoU} + {@code evaluateImg} for one (image, category) pair and every area range: the
 * detections sorted by score (stable) and cut to the largest maxDets, and for each area range and IoU threshold
 * whether each detection is a true positive, a false positive or ignored.
 */
final class PairEvaluation {

    static final byte FALSE_POSITIVE = 0;
    static final byte TRUE_POSITIVE = 1;
    static final byte IGNORED = 2;

    /** Detections kept (at most the largest maxDets). */
    final int numDt;
    /** Their scores, highest first. */
    final double[] scores;
    /** State of detection {@code d} at area range {@code a} and threshold {@code t}: {@code [(a * T + t) * D + d]}. */
    final byte[] states;
    /** Ground truths that are not ignored, per area range (pycocotools' {@code np.count_nonzero(gtIg == 0)}). */
    final int[] numRegularGt;

    private PairEvaluation(int numDt, double[] scores, byte[] states, int[] numRegularGt) {
        this.numDt = numDt;
        this.scores = scores;
        this.states = states;
        this.numRegularGt = numRegularGt;
    }

    static PairEvaluation evaluate(EvalInput in, int pair, IouType iouType) {
        int numT = CocoEvalParams.numIou();
        int numA = CocoEvalParams.numAreas();
        int maxDet = CocoEvalParams.maxDet(CocoEvalParams.numMaxDets() - 1);

        int g0 = in.gtStart[pair];
        int numGt = in.gtStart[pair + 1] - g0;
        int d0 = in.dtStart[pair];
        int allDt = in.dtStart[pair + 1] - d0;
        double[] allScores = new double[allDt];
        for (int j = 0; j < allDt; j++) {
            allScores[j] = in.dtScore[in.dtOrder[d0 + j]];
        }
        int[] byScore = StableSort.descending(allScores, allDt);
        int numDt = Math.min(allDt, maxDet);
        int[] dt = new int[numDt];
        double[] scores = new double[numDt];
        for (int j = 0; j < numDt; j++) {
            dt[j] = in.dtOrder[d0 + byScore[j]];
            scores[j] = allScores[byScore[j]];
        }
        int[] gt = new int[numGt];
        for (int j = 0; j < numGt; j++) {
            gt[j] = in.gtOrder[g0 + j];
        }
        double[] ious = numDt > 0 && numGt > 0 ? ious(in, pair, iouType, dt, gt) : null;

        byte[] states = new byte[numA * numT * numDt];
        int[] numRegularGt = new int[numA];
        boolean[] ignore = new boolean[numGt];
        int[] order = new int[numGt];
        boolean[] ignoreSorted = new boolean[numGt];
        boolean[] crowdSorted = new boolean[numGt];
        boolean[] matched = new boolean[numGt];
        for (int a = 0; a < numA; a++) {
            double lo = CocoEvalParams.areaLo(a);
            double hi = CocoEvalParams.areaHi(a);
            int regular = 0;
            for (int j = 0; j < numGt; j++) {
                double area = in.gtArea[gt[j]];
                // the ground truth's own 'ignore' field is never read: pycocotools replaces it by iscrowd
                ignore[j] = in.gtCrowd[gt[j]] || area < lo || area > hi;
                if (!ignore[j]) {
                    regular++;
                }
            }
            numRegularGt[a] = regular;
            // stable sort by the ignore flag: regular ground truths first, in file order
            int pos = 0;
            for (int pass = 0; pass < 2; pass++) {
                for (int j = 0; j < numGt; j++) {
                    if (ignore[j] == (pass == 1)) {
                        order[pos] = j;
                        ignoreSorted[pos] = ignore[j];
                        crowdSorted[pos] = in.gtCrowd[gt[j]];
                        pos++;
                    }
                }
            }
            for (int t = 0; t < numT; t++) {
                int base = (a * numT + t) * numDt;
                Arrays.fill(matched, false);
                double threshold = Math.min(CocoEvalParams.iou(t), 1 - 1e-10);
                for (int d = 0; d < numDt; d++) {
                    int m = ious == null ? -1 : match(ious, d, numGt, order, ignoreSorted, crowdSorted, matched,
                            threshold);
                    boolean matchedNonZeroId = false;
                    boolean ignored = false;
                    if (m >= 0) {
                        matched[m] = true;
                        ignored = ignoreSorted[m];
                        // pycocotools stores the ground-truth id and tests it for truth: an id of 0 reads as no match
                        matchedNonZeroId = in.gtId[gt[order[m]]] != 0;
                    }
                    if (!matchedNonZeroId) {
                        double area = in.dtArea[dt[d]];
                        ignored |= area < lo || area > hi;
                    }
                    states[base + d] = ignored ? IGNORED : matchedNonZeroId ? TRUE_POSITIVE : FALSE_POSITIVE;
                }
            }
        }
        return new PairEvaluation(numDt, scores, states, numRegularGt);
    }

    /**
     * The ground truth (position in the sorted order) that detection {@code d} matches, or -1: the best IoU at or
     * above the threshold among unmatched (or crowd) ground truths, the last one on ties, never moving from a regular
     * match to an ignored one.
     */
    private static int match(double[] ious, int d, int numGt, int[] order, boolean[] ignoreSorted,
            boolean[] crowdSorted, boolean[] matched, double threshold) {
        double best = threshold;
        int m = -1;
        int row = d * numGt;
        for (int g = 0; g < numGt; g++) {
            if (matched[g] && !crowdSorted[g]) {
                continue;
            }
            if (m > -1 && !ignoreSorted[m] && ignoreSorted[g]) {
                break;
            }
            double iou = ious[row + order[g]];
            if (iou < best) {
                continue;
            }
            best = iou;
            m = g;
        }
        return m;
    }

    /** IoU matrix {@code [d * numGt + g]} in the ground truths' file order. */
    private static double[] ious(EvalInput in, int pair, IouType iouType, int[] dt, int[] gt) {
        int numDt = dt.length;
        int numGt = gt.length;
        double[] out = new double[numDt * numGt];
        boolean[] crowd = new boolean[numGt];
        for (int j = 0; j < numGt; j++) {
            crowd[j] = in.gtCrowd[gt[j]];
        }
        if (iouType == IouType.BBOX) {
            double[] db = new double[4 * numDt];
            double[] gb = new double[4 * numGt];
            for (int j = 0; j < numDt; j++) {
                System.arraycopy(in.dtBox, 4 * dt[j], db, 4 * j, 4);
            }
            for (int j = 0; j < numGt; j++) {
                System.arraycopy(in.gtBox, 4 * gt[j], gb, 4 * j, 4);
            }
            MaskIou.boxIou(db, numDt, gb, numGt, crowd, out);
        } else {
            int h = in.imageHeight[in.pairImage[pair]];
            int w = in.imageWidth[in.pairImage[pair]];
            Rle[] dm = new Rle[numDt];
            Rle[] gm = new Rle[numGt];
            for (int j = 0; j < numDt; j++) {
                dm[j] = CocoResults.maskOf(in.dt[dt[j]], h, w);
            }
            for (int j = 0; j < numGt; j++) {
                gm[j] = in.gt[gt[j]].segmentation().toRle(h, w);
            }
            MaskIou.rleIou(dm, numDt, gm, numGt, crowd, out);
        }
        return out;
    }
}
