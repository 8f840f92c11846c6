package ai.wsbcn.detection.coco.eval;

import ai.wsbcn.detection.coco.json.CocoAnnotation;
import ai.wsbcn.detection.coco.json.CocoDataset;
import ai.wsbcn.detection.coco.json.CocoImage;
import ai.wsbcn.detection.coco.json.CocoResults;
import ai.wsbcn.detection.coco.json.Segmentation;
import ai.wsbcn.util.InvalidInputException;

import java.util.Arrays;
import java.util.List;

/**
 * Ground truth and detections in primitive arrays, grouped by (category, image) pair in the order pycocotools
 * evaluates them: categories by id, images by id, and inside a pair the order of the file. Only pairs with at least
 * one ground truth or detection are listed (the others are pycocotools' {@code None} entries).
 */
final class EvalInput {

    final long[] imageIds;
    final long[] categoryIds;
    final int[] imageHeight;
    final int[] imageWidth;

    final double[] gtBox;
    final double[] gtArea;
    final boolean[] gtCrowd;
    final long[] gtId;
    final CocoAnnotation[] gt;

    final double[] dtBox;
    final double[] dtArea;
    final double[] dtScore;
    final CocoAnnotation[] dt;

    /** Non-empty pairs sorted by {@code category * numImages + image}. */
    final int numPairs;
    final int[] pairCategory;
    final int[] pairImage;
    /** Ground truths of pair {@code p} are {@code gtOrder[gtStart[p] .. gtStart[p + 1])}, likewise detections. */
    final int[] gtStart;
    final int[] gtOrder;
    final int[] dtStart;
    final int[] dtOrder;

    EvalInput(CocoDataset groundTruth, CocoResults results, long[] selectedImageIds, IouType iouType) {
        imageIds = selectedImageIds;
        categoryIds = groundTruth.sortedCategoryIds();
        int numImages = imageIds.length;
        imageHeight = new int[numImages];
        imageWidth = new int[numImages];
        for (int i = 0; i < numImages; i++) {
            long id = imageIds[i];
            CocoImage im = groundTruth.image(id).orElseThrow(() -> new IllegalArgumentException("image id " + id
                    + " is not in " + groundTruth.source()));
            imageHeight[i] = im.height();
            imageWidth[i] = im.width();
        }

        List<CocoAnnotation> gts = groundTruth.annotations();
        gt = gts.toArray(new CocoAnnotation[0]);
        gtBox = new double[4 * gt.length];
        gtArea = new double[gt.length];
        gtCrowd = new boolean[gt.length];
        gtId = new long[gt.length];
        for (int j = 0; j < gt.length; j++) {
            CocoAnnotation a = gt[j];
            copyBox(a, gtBox, j);
            gtArea[j] = a.area();
            gtCrowd[j] = a.crowd();
            gtId[j] = a.id();
        }

        List<CocoAnnotation> dts = results.detections();
        dt = dts.toArray(new CocoAnnotation[0]);
        dtBox = new double[4 * dt.length];
        dtArea = new double[dt.length];
        dtScore = new double[dt.length];
        for (int j = 0; j < dt.length; j++) {
            CocoAnnotation a = dt[j];
            copyBox(a, dtBox, j);
            dtArea[j] = a.area();
            dtScore[j] = a.score();
        }

        long[] gtKeys = pairKeys(gt);
        long[] dtKeys = pairKeys(dt);
        if (iouType == IouType.SEGM) {
            requireMasks(groundTruth, gtKeys);
            requireDetectionMasks(dtKeys);
        }
        // merge the two sorted key lists into the list of non-empty pairs
        int maxPairs = gtKeys.length + dtKeys.length;
        int[] pc = new int[maxPairs];
        int[] pi = new int[maxPairs];
        int[] gs = new int[maxPairs + 1];
        int[] ds = new int[maxPairs + 1];
        int p = 0;
        int g = 0;
        int d = 0;
        while (g < gtKeys.length || d < dtKeys.length) {
            long kg = g < gtKeys.length ? gtKeys[g] >>> 32 : Long.MAX_VALUE;
            long kd = d < dtKeys.length ? dtKeys[d] >>> 32 : Long.MAX_VALUE;
            long key = Math.min(kg, kd);
            pc[p] = (int) (key / numImages);
            pi[p] = (int) (key % numImages);
            gs[p] = g;
            ds[p] = d;
            while (g < gtKeys.length && gtKeys[g] >>> 32 == key) {
                g++;
            }
            while (d < dtKeys.length && dtKeys[d] >>> 32 == key) {
                d++;
            }
            p++;
        }
        gs[p] = g;
        ds[p] = d;
        numPairs = p;
        pairCategory = Arrays.copyOf(pc, p);
        pairImage = Arrays.copyOf(pi, p);
        gtStart = Arrays.copyOf(gs, p + 1);
        dtStart = Arrays.copyOf(ds, p + 1);
        gtOrder = lowHalves(gtKeys);
        dtOrder = lowHalves(dtKeys);
    }

    int numImages() {
        return imageIds.length;
    }

    int numCategories() {
        return categoryIds.length;
    }

    /**
     * {@code (pair key << 32) | index} for every entry of a selected image, sorted: the pair key orders by category
     * then image, the index keeps file order inside a pair (the same order as pycocotools' per-pair lists).
     */
    private long[] pairKeys(CocoAnnotation[] anns) {
        long[] keys = new long[anns.length];
        int n = 0;
        long numImages = imageIds.length;
        for (int j = 0; j < anns.length; j++) {
            int i = Arrays.binarySearch(imageIds, anns[j].imageId());
            int k = Arrays.binarySearch(categoryIds, anns[j].categoryId());
            if (i < 0 || k < 0) {
                continue;
            }
            keys[n++] = ((k * numImages + i) << 32) | j;
        }
        keys = Arrays.copyOf(keys, n);
        Arrays.sort(keys);
        return keys;
    }

    /** Mask evaluation converts every ground truth of the selected images (pycocotools' {@code _prepare}). */
    private void requireMasks(CocoDataset groundTruth, long[] gtKeys) {
        for (long key : gtKeys) {
            requireMask(groundTruth, gt[(int) key]);
        }
    }

    /**
     * A detection whose mask the reader could not accept fails mask evaluation; the first in file order is named
     * (the images are evaluated in parallel, so which one the evaluation meets first would vary).
     */
    private void requireDetectionMasks(long[] dtKeys) {
        int[] entries = lowHalves(dtKeys);
        Arrays.sort(entries);
        for (int j : entries) {
            if (dt[j].segmentation() instanceof Segmentation.Invalid inv) {
                throw new InvalidInputException(inv.reason());
            }
        }
    }

    /** Fails, naming the file and annotation, when {@code a} has no mask that segm evaluation can use. */
    static void requireMask(CocoDataset groundTruth, CocoAnnotation a) {
        Segmentation s = a.segmentation();
        if (s == null) {
            throw new InvalidInputException(groundTruth.source() + ": annotation id " + a.id()
                    + ": segmentation: missing (needed for segm evaluation)");
        }
        if (s instanceof Segmentation.Invalid inv) {
            throw new InvalidInputException(inv.reason());
        }
    }

    private static int[] lowHalves(long[] keys) {
        int[] out = new int[keys.length];
        for (int j = 0; j < keys.length; j++) {
            out[j] = (int) keys[j];
        }
        return out;
    }

    private static void copyBox(CocoAnnotation a, double[] dst, int j) {
        for (int c = 0; c < 4; c++) {
            dst[4 * j + c] = a.bbox(c);
        }
    }
}
