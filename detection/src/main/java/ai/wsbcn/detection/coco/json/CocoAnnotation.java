package ai.wsbcn.detection.coco.json;

/**
 * One ground-truth annotation or one detection (a results entry after pycocotools' {@code loadRes} filled in its id,
 * area, box and {@code iscrowd = 0}). {@code bbox} is {@code [x, y, w, h]}; {@code segmentation} may be {@code null};
 * {@code score} is NaN for ground truth. Immutable.
 */
public final class CocoAnnotation {

    private final long id;
    private final long imageId;
    private final long categoryId;
    private final double[] bbox;
    private final double area;
    private final boolean crowd;
    private final Segmentation segmentation;
    private final double score;

    private CocoAnnotation(long id, long imageId, long categoryId, double[] bbox, double area, boolean crowd,
            Segmentation segmentation, double score) {
        if (bbox == null || bbox.length != 4) {
            throw new IllegalArgumentException("bbox must be [x, y, w, h]");
        }
        this.id = id;
        this.imageId = imageId;
        this.categoryId = categoryId;
        this.bbox = bbox.clone();
        this.area = area;
        this.crowd = crowd;
        this.segmentation = segmentation;
        this.score = score;
    }

    /** A ground-truth annotation; {@code area} is the field of the file (it decides the area range). */
    public static CocoAnnotation groundTruth(long id, long imageId, long categoryId, double[] bbox, double area,
            boolean crowd, Segmentation segmentation) {
        return new CocoAnnotation(id, imageId, categoryId, bbox, area, crowd, segmentation, Double.NaN);
    }

    /** A detection with everything resolved (see {@link CocoResults} for how results entries get there). */
    public static CocoAnnotation detection(long id, long imageId, long categoryId, double[] bbox, double area,
            double score, Segmentation segmentation) {
        return new CocoAnnotation(id, imageId, categoryId, bbox, area, false, segmentation, score);
    }

    public long id() {
        return id;
    }

    public long imageId() {
        return imageId;
    }

    public long categoryId() {
        return categoryId;
    }

    /** {@code [x, y, w, h]} (a copy). */
    public double[] bbox() {
        return bbox.clone();
    }

    /** Box coordinate {@code i} of {@code [x, y, w, h]} without copying. */
    public double bbox(int i) {
        return bbox[i];
    }

    public double area() {
        return area;
    }

    public boolean crowd() {
        return crowd;
    }

    /** The segmentation, or {@code null} when the entry has none. */
    public Segmentation segmentation() {
        return segmentation;
    }

    public double score() {
        return score;
    }

    @Override
    public String toString() {
        return "CocoAnnotation[id=" + id + ", image=" + imageId + ", category=" + categoryId + ", bbox=["
                + bbox[0] + ", " + bbox[1] + ", " + bbox[2] + ", " + bbox[3] + "], area=" + area
                + (crowd ? ", crowd" : "") + (Double.isNaN(score) ? "" : ", score=" + score) + "]";
    }
}
