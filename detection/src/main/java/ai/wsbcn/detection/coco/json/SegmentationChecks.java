package ai.wsbcn.detection.coco.json;

import ai.wsbcn.detection.coco.mask.RleStrings;

/**
 * What is wrong with a segmentation for an image of a given size, or {@code null}. These are the inputs on which
 * pycocotools crashes, reads a polygon as a box, or compares masks of different sizes (IoU -1).
 */
final class SegmentationChecks {

    private SegmentationChecks() {}

    static String problem(Segmentation s, int imageHeight, int imageWidth) {
        if (s instanceof Segmentation.Polygons p) {
            return polygonProblem(p);
        }
        if (s instanceof Segmentation.UncompressedRle u) {
            return rleProblem(u.rle().height(), u.rle().width(), u.rle().countSum(), imageHeight, imageWidth);
        }
        if (s instanceof Segmentation.CompressedRle c) {
            long sum;
            try {
                sum = RleStrings.sumAndArea(c.counts())[0];
            } catch (IllegalArgumentException e) {
                return "counts: " + e.getMessage();
            }
            return rleProblem(c.height(), c.width(), sum, imageHeight, imageWidth);
        }
        return null;
    }

    /**
     * pycocotools decides the type of a polygon list by its first part: 4 coordinates or fewer there fail
     * ({@code frPyObjects} takes it for a box or rejects it). Later parts of any length are rasterised.
     */
    private static String polygonProblem(Segmentation.Polygons p) {
        if (p.parts().isEmpty()) {
            return "empty polygon list";
        }
        if (p.parts().get(0).length <= 4) {
            return "polygon 0 has " + p.parts().get(0).length / 2 + " points, at least 3 are needed"
                    + " (pycocotools fails on it)";
        }
        for (int i = 0; i < p.parts().size(); i++) {
            for (double v : p.parts().get(i)) {
                if (!Double.isFinite(v)) {
                    return "polygon " + i + " has a non-finite coordinate";
                }
            }
        }
        return null;
    }

    /** Polygon parts that pycocotools rasterises but that are probably mistakes, or {@code null}. */
    static String warning(Segmentation s) {
        if (!(s instanceof Segmentation.Polygons p)) {
            return null;
        }
        for (int i = 0; i < p.parts().size(); i++) {
            int n = p.parts().get(i).length;
            if (n % 2 != 0) {
                return "polygon " + i + " has an odd number of coordinates (" + n
                        + "); the last one is ignored, as in pycocotools";
            }
            if (n < 6) {
                return "polygon " + i + " has " + n / 2 + " points; rasterised as pycocotools does";
            }
        }
        return null;
    }

    private static String rleProblem(int h, int w, long sum, int imageHeight, int imageWidth) {
        if (sum != (long) h * w) {
            return "counts sum to " + sum + " but size " + h + "x" + w + " has " + (long) h * w + " pixels";
        }
        if (h != imageHeight || w != imageWidth) {
            return "size [" + h + ", " + w + "] differs from the image's [" + imageHeight + ", " + imageWidth
                    + "] (pycocotools would give IoU -1)";
        }
        return null;
    }
}
