package ai.wsbcn.detection.coco.json;

import ai.wsbcn.detection.coco.mask.Rle;
import ai.wsbcn.detection.coco.mask.RleStrings;
import ai.wsbcn.util.InvalidInputException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Detections for a ground-truth {@link CocoDataset}, resolved as pycocotools' {@code loadRes} does: entry {@code i}
 * gets id {@code i + 1} and {@code iscrowd = 0}; when the first entry has a (non-empty) box every entry must have one
 * and its area is {@code w * h} (even for mask evaluation) and a missing mask is the box; otherwise every entry needs
 * a mask, its area is the mask's and a missing box is the mask's box. An image id that is not in the ground truth is
 * an error (pycocotools asserts); a category id that is not is skipped with a warning (pycocotools never evaluates
 * it). Immutable.
 */
public final class CocoResults {

    private static final Logger LOG = LoggerFactory.getLogger(CocoResults.class);

    private final String source;
    private final CocoDataset groundTruth;
    private final List<CocoAnnotation> detections;
    private final boolean boxMode;
    private final List<CocoWarning> warnings;

    private CocoResults(String source, CocoDataset groundTruth, List<CocoAnnotation> detections, boolean boxMode,
            List<CocoWarning> warnings) {
        this.source = source;
        this.groundTruth = groundTruth;
        this.detections = List.copyOf(detections);
        this.boxMode = boxMode;
        this.warnings = warnings;
    }

    /** Reads a results JSON file (a list of {@code {image_id, category_id, bbox, score, segmentation?}}). */
    public static CocoResults read(Path file, CocoDataset groundTruth) {
        CocoResults results = CocoResultsReader.read(file, groundTruth);
        Problems.log(LOG, results.warnings());
        return results;
    }

    /** A builder for detections made in memory (e.g. by a model during evaluation). */
    public static Builder builder(CocoDataset groundTruth, String source) {
        return new Builder(groundTruth, source);
    }

    public String source() {
        return source;
    }

    public CocoDataset groundTruth() {
        return groundTruth;
    }

    /** Detections with a known category, in file order. */
    public List<CocoAnnotation> detections() {
        return detections;
    }

    /** True when areas come from boxes (the first entry had a box). */
    public boolean boxMode() {
        return boxMode;
    }

    public List<CocoWarning> warnings() {
        return warnings;
    }

    /** The mask of a detection as pycocotools evaluates it: its segmentation, or the box polygon when it has none. */
    public static Rle maskOf(CocoAnnotation detection, int height, int width) {
        Segmentation s = detection.segmentation();
        return s == null ? Rle.fromBox(detection.bbox(), height, width) : s.toRle(height, width);
    }

    /** Collects entries in order; {@link #build()} resolves them. */
    public static final class Builder {

        private final CocoDataset groundTruth;
        private final Problems problems;
        private final List<Entry> entries = new ArrayList<>();

        private record Entry(long imageId, long categoryId, double[] bbox, double score, Segmentation segmentation) {}

        private Builder(CocoDataset groundTruth, String source) {
            this.groundTruth = groundTruth;
            this.problems = new Problems(source);
        }

        Problems problems() {
            return problems;
        }

        /**
         * Adds one entry; {@code bbox} ({@code [x, y, w, h]}) or {@code segmentation} may be {@code null} as the
         * rules above allow.
         */
        public Builder add(long imageId, long categoryId, double[] bbox, double score, Segmentation segmentation) {
            entries.add(new Entry(imageId, categoryId, bbox == null ? null : bbox.clone(), score, segmentation));
            return this;
        }

        /** Adds a detection with a box only. */
        public Builder add(long imageId, long categoryId, double[] bbox, double score) {
            return add(imageId, categoryId, bbox, score, (Segmentation) null);
        }

        /** Adds a detection with a box and, if not {@code null}, a mask (stored as a compressed RLE). */
        public Builder add(long imageId, long categoryId, double[] bbox, double score, Rle mask) {
            Segmentation s = mask == null ? null
                    : new Segmentation.CompressedRle(mask.height(), mask.width(), mask.toCompressedString());
            return add(imageId, categoryId, bbox, score, s);
        }

        public CocoResults build() {
            if (entries.isEmpty()) {
                problems.warn("results", "no detections; every AP is 0 where there is ground truth"
                        + " (pycocotools cannot load an empty results list)");
                return new CocoResults(problems.source(), groundTruth, List.of(), true, problems.warnings());
            }
            boolean boxMode = entries.get(0).bbox() != null;
            List<CocoAnnotation> out = new ArrayList<>(entries.size());
            for (int i = 0; i < entries.size(); i++) {
                CocoAnnotation a = resolve(i, entries.get(i), boxMode);
                if (a != null) {
                    out.add(a);
                }
            }
            return new CocoResults(problems.source(), groundTruth, out, boxMode, problems.warnings());
        }

        private CocoAnnotation resolve(int i, Entry e, boolean boxMode) {
            String where = "results[" + i + "]";
            CocoImage image = groundTruth.image(e.imageId()).orElseThrow(() -> problems.error(where,
                    "image_id: " + e.imageId() + " is not an image of the ground truth " + groundTruth.source()));
            if (!Double.isFinite(e.score())) {
                throw problems.error(where, "score: not a finite number");
            }
            if (groundTruth.category(e.categoryId()).isEmpty()) {
                problems.warn(where, "category_id: " + e.categoryId() + " is not a category of the ground truth;"
                        + " skipped");
                return null;
            }
            long id = i + 1L;
            Segmentation s = e.segmentation();
            String warning = SegmentationChecks.warning(s);
            if (warning != null) {
                problems.warn(where, "segmentation: " + warning);
            }
            String problem = s == null || s instanceof Segmentation.Invalid ? null
                    : SegmentationChecks.problem(s, image.height(), image.width());
            if (boxMode) {
                double[] b = e.bbox();
                if (b == null) {
                    throw problems.error(where, "bbox: missing (the first result has a bbox, so every result needs"
                            + " one)");
                }
                checkBox(where, b);
                if (problem != null) {
                    problems.warn(where, "segmentation: " + problem + "; masks of this entry cannot be used");
                    s = new Segmentation.Invalid(problems.describe(where, "segmentation: " + problem));
                }
                return CocoAnnotation.detection(id, e.imageId(), e.categoryId(), b, b[2] * b[3], e.score(), s);
            }
            if (s == null) {
                throw problems.error(where, "segmentation: missing (the first result has no bbox, so every result"
                        + " needs a segmentation)");
            }
            if (s instanceof Segmentation.Invalid inv) {
                throw new InvalidInputException(inv.reason());
            }
            if (problem != null) {
                throw problems.error(where, "segmentation: " + problem);
            }
            double area = maskArea(s, image);
            double[] b = e.bbox() != null ? e.bbox() : s.toRle(image.height(), image.width()).toBbox();
            checkBox(where, b);
            return CocoAnnotation.detection(id, e.imageId(), e.categoryId(), b, area, e.score(), s);
        }

        private void checkBox(String where, double[] b) {
            for (int k = 0; k < 4; k++) {
                if (!Double.isFinite(b[k])) {
                    throw problems.error(where, "bbox: coordinate " + k + " is not a finite number");
                }
            }
            if (b[2] <= 0 || b[3] <= 0) {
                problems.warn(where, "bbox: width and height should be positive, got " + b[2] + " x " + b[3]
                        + "; kept (it counts as a false positive)");
            }
        }

        private static double maskArea(Segmentation s, CocoImage image) {
            if (s instanceof Segmentation.CompressedRle c) {
                return RleStrings.sumAndArea(c.counts())[1];
            }
            return s.toRle(image.height(), image.width()).area();
        }
    }
}
