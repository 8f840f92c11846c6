package ai.wsbcn.detection.coco.json;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A COCO instances file ({@code images}, {@code categories}, {@code annotations}) after validation: annotations whose
 * image or category does not resolve are skipped (with a warning, as pycocotools never evaluates them), other problems
 * are errors or warnings as listed in the README. Order of every list is the order of the file. Immutable.
 */
public final class CocoDataset {

    private final String source;
    private final List<CocoImage> images;
    private final Map<Long, CocoImage> imageById;
    private final List<CocoCategory> categories;
    private final Map<Long, CocoCategory> categoryById;
    private final List<CocoAnnotation> annotations;
    private final Map<Long, List<CocoAnnotation>> annotationsByImage;
    private final List<CocoWarning> warnings;

    private CocoDataset(Builder b, List<CocoAnnotation> kept) {
        this.source = b.problems.source();
        this.images = List.copyOf(b.images);
        this.imageById = Collections.unmodifiableMap(b.imageById);
        this.categories = List.copyOf(b.categoryById.values());
        this.categoryById = Collections.unmodifiableMap(b.categoryById);
        this.annotations = List.copyOf(kept);
        Map<Long, List<CocoAnnotation>> byImage = new HashMap<>();
        for (CocoAnnotation a : kept) {
            byImage.computeIfAbsent(a.imageId(), k -> new ArrayList<>()).add(a);
        }
        byImage.replaceAll((k, v) -> List.copyOf(v));
        this.annotationsByImage = byImage;
        this.warnings = b.problems.warnings();
    }

    /** Reads and validates an instances JSON file. */
    public static CocoDataset read(Path file) {
        return CocoDatasetReader.read(file);
    }

    /** A builder for data made in memory; {@code source} names it in messages (e.g. a file name). */
    public static Builder builder(String source) {
        return new Builder(source);
    }

    /** The file name (or other source name) used in messages. */
    public String source() {
        return source;
    }

    public List<CocoImage> images() {
        return images;
    }

    public Optional<CocoImage> image(long id) {
        return Optional.ofNullable(imageById.get(id));
    }

    /** Categories in file order (a repeated id keeps its first entry). */
    public List<CocoCategory> categories() {
        return categories;
    }

    public Optional<CocoCategory> category(long id) {
        return Optional.ofNullable(categoryById.get(id));
    }

    /** The annotations that resolve to an image and a category, in file order. */
    public List<CocoAnnotation> annotations() {
        return annotations;
    }

    /** Annotations of one image in file order (empty when it has none). */
    public List<CocoAnnotation> annotationsOf(long imageId) {
        return annotationsByImage.getOrDefault(imageId, List.of());
    }

    /** Problems that were not fatal, in file order. */
    public List<CocoWarning> warnings() {
        return warnings;
    }

    /** Image ids sorted ascending (the order in which pycocotools evaluates images). */
    public long[] sortedImageIds() {
        long[] ids = new long[images.size()];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = images.get(i).id();
        }
        Arrays.sort(ids);
        return ids;
    }

    /** Category ids sorted ascending (the order of pycocotools' {@code params.catIds}). */
    public long[] sortedCategoryIds() {
        long[] ids = new long[categories.size()];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = categories.get(i).id();
        }
        Arrays.sort(ids);
        return ids;
    }

    /** Collects entries in file order; {@link #build()} checks the references between them. */
    public static final class Builder {

        private final Problems problems;
        private final List<CocoImage> images = new ArrayList<>();
        private final Map<Long, CocoImage> imageById = new HashMap<>();
        private final Map<Long, CocoCategory> categoryById = new LinkedHashMap<>();
        private final List<CocoAnnotation> annotations = new ArrayList<>();
        private final Set<Long> annotationIds = new HashSet<>();
        private int categoryCount;

        private Builder(String source) {
            this.problems = new Problems(source);
        }

        /** Adds {@code images[i]}; a repeated id or a non-positive size is an error. */
        public Builder addImage(CocoImage image) {
            String where = "images[" + images.size() + "]";
            if (image.width() <= 0 || image.height() <= 0) {
                throw problems.error(where, "width and height must be positive, got " + image.width() + "x"
                        + image.height());
            }
            if (imageById.putIfAbsent(image.id(), image) != null) {
                throw problems.error(where, "id: image id " + image.id() + " appears twice");
            }
            images.add(image);
            return this;
        }

        /** Adds {@code categories[i]}; a repeated id is skipped with a warning. */
        public Builder addCategory(CocoCategory category) {
            String where = "categories[" + categoryCount++ + "]";
            if (categoryById.putIfAbsent(category.id(), category) != null) {
                problems.warn(where, "id: category id " + category.id() + " appears twice; the first entry is used");
            }
            return this;
        }

        /**
         * Adds {@code annotations[i]}. Non-finite numbers and a repeated id are errors; an empty box or a negative
         * area is kept with a warning (pycocotools keeps it: an empty box is a ground truth that never matches).
         */
        public Builder addAnnotation(CocoAnnotation a) {
            String where = "annotations[" + annotations.size() + "] (id " + a.id() + ")";
            for (int i = 0; i < 4; i++) {
                if (!Double.isFinite(a.bbox(i))) {
                    throw problems.error(where, "bbox: coordinate " + i + " is not a finite number");
                }
            }
            if (!Double.isFinite(a.area())) {
                throw problems.error(where, "area: not a finite number");
            }
            if (!annotationIds.add(a.id())) {
                throw problems.error(where, "id: annotation id " + a.id() + " appears twice"
                        + " (pycocotools would silently evaluate the last one twice)");
            }
            if (a.bbox(2) <= 0 || a.bbox(3) <= 0) {
                problems.warn(where, "bbox: width and height should be positive, got " + a.bbox(2) + " x "
                        + a.bbox(3) + "; kept (it counts as a ground truth that is never matched)");
            }
            if (a.area() < 0) {
                problems.warn(where, "area: negative (" + a.area() + "); kept");
            }
            annotations.add(a);
            return this;
        }

        Problems problems() {
            return problems;
        }

        /** Records a non-fatal problem found while reading (e.g. a missing {@code annotations} list). */
        Builder warn(String location, String message) {
            problems.warn(location, message);
            return this;
        }

        /**
         * Resolves references: annotations with an unknown image or category are skipped with a warning, and a
         * segmentation that cannot be used is replaced by {@link Segmentation.Invalid} with a warning.
         */
        public CocoDataset build() {
            List<CocoAnnotation> kept = new ArrayList<>(annotations.size());
            for (int i = 0; i < annotations.size(); i++) {
                CocoAnnotation a = annotations.get(i);
                String where = "annotations[" + i + "] (id " + a.id() + ")";
                CocoImage image = imageById.get(a.imageId());
                if (image == null) {
                    problems.warn(where, "image_id: no image has id " + a.imageId() + "; annotation skipped");
                    continue;
                }
                if (!categoryById.containsKey(a.categoryId())) {
                    problems.warn(where, "category_id: no category has id " + a.categoryId()
                            + "; annotation skipped");
                    continue;
                }
                kept.add(checkedSegmentation(a, image, where));
            }
            return new CocoDataset(this, kept);
        }

        private CocoAnnotation checkedSegmentation(CocoAnnotation a, CocoImage image, String where) {
            Segmentation s = a.segmentation();
            if (s == null || s instanceof Segmentation.Invalid) {
                return a;
            }
            String problem = SegmentationChecks.problem(s, image.height(), image.width());
            if (problem == null) {
                String warning = SegmentationChecks.warning(s);
                if (warning != null) {
                    problems.warn(where, "segmentation: " + warning);
                }
                return a;
            }
            problems.warn(where, "segmentation: " + problem + "; masks of this annotation cannot be used");
            Segmentation invalid = new Segmentation.Invalid(problems.describe(where, "segmentation: " + problem));
            return CocoAnnotation.groundTruth(a.id(), a.imageId(), a.categoryId(), a.bbox(), a.area(), a.crowd(),
                    invalid);
        }
    }
}
