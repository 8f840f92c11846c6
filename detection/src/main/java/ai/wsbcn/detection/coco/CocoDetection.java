package ai.wsbcn.detection.coco;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.dataset.RandomAccessDataset;
import ai.djl.training.dataset.Record;
import ai.djl.util.Progress;
import ai.wsbcn.detection.coco.json.CocoAnnotation;
import ai.wsbcn.detection.coco.json.CocoDataset;
import ai.wsbcn.detection.coco.json.CocoImage;
import ai.wsbcn.detection.coco.json.CocoWarning;
import ai.wsbcn.detection.coco.json.Segmentation;
import ai.wsbcn.pretrained.data.ImageFiles;
import ai.wsbcn.pretrained.data.RgbImage;
import ai.wsbcn.util.InvalidInputException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A COCO instances file as a DJL random-access data set for training detectors. Item {@code i} has
 * <ul>
 *   <li>data: {@code image}, uint8 {@code (H, W, 3)} RGB as OpenCV decodes it;</li>
 *   <li>labels: {@code boxes} float32 {@code (N, 4)} as {@code (x1, y1, x2, y2)} in pixels, clipped to the image;
 *       {@code labels} int64 {@code (N)} in 1..K ({@link #categories()}); {@code masks} uint8 {@code (N, H, W)}
 *       (only when masks are included); {@code image_id} int64 {@code (1)}.</li>
 * </ul>
 * As in torchvision's detection references, crowd regions are left out by default and boxes that are empty after
 * clipping are skipped (with a warning); images without annotations can be skipped. Image paths are resolved strictly
 * under the image root: a {@code file_name} that is absolute or climbs out of it is an error.
 */
public final class CocoDetection extends RandomAccessDataset {

    private static final Logger LOG = LoggerFactory.getLogger(CocoDetection.class);

    private final CocoDataset dataset;
    private final Path imageRoot;
    private final boolean includeMasks;
    private final CategoryMapping categories;
    private final List<CocoImage> images;
    private final List<Path> paths;
    private final List<List<CocoAnnotation>> annotations;
    private final List<CocoWarning> skipped;

    private CocoDetection(Builder b) {
        super(b);
        this.dataset = b.dataset;
        this.imageRoot = b.imageRoot.toAbsolutePath().normalize();
        this.includeMasks = b.includeMasks;
        this.categories = CategoryMapping.of(dataset);
        this.images = new ArrayList<>();
        this.paths = new ArrayList<>();
        this.annotations = new ArrayList<>();
        this.skipped = new ArrayList<>();
        List<CocoImage> all = dataset.images();
        for (int i = 0; i < all.size(); i++) {
            CocoImage im = all.get(i);
            List<CocoAnnotation> kept = usable(im, b.includeCrowd);
            if (kept.isEmpty() && b.skipEmptyImages) {
                continue;
            }
            images.add(im);
            paths.add(resolve(im, i));
            annotations.add(kept);
        }
        for (int i = 0; i < Math.min(10, skipped.size()); i++) {
            LOG.warn("{}", skipped.get(i));
        }
        if (skipped.size() > 10) {
            LOG.warn("... {} annotations skipped in all", skipped.size());
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Labels 1..K of the categories. */
    public CategoryMapping categories() {
        return categories;
    }

    /** The image of item {@code index}. */
    public CocoImage image(long index) {
        return images.get(Math.toIntExact(index));
    }

    /** The file of item {@code index}. */
    public Path imagePath(long index) {
        return paths.get(Math.toIntExact(index));
    }

    /** The annotations item {@code index} uses (file order). */
    public List<CocoAnnotation> annotations(long index) {
        return annotations.get(Math.toIntExact(index));
    }

    /** The underlying annotations file. */
    public CocoDataset dataset() {
        return dataset;
    }

    /** Annotations left out because they cannot be trained on (empty box, unusable mask). */
    public List<CocoWarning> skipped() {
        return List.copyOf(skipped);
    }

    @Override
    public Record get(NDManager manager, long index) {
        int i = Math.toIntExact(index);
        CocoImage im = images.get(i);
        RgbImage rgb = ImageFiles.readRgb(paths.get(i));
        if (rgb.width() != im.width() || rgb.height() != im.height()) {
            throw new InvalidInputException(paths.get(i) + ": image is " + rgb.width() + "x" + rgb.height()
                    + " but " + dataset.source() + " says " + im.width() + "x" + im.height() + " (image id "
                    + im.id() + ")");
        }
        NDArray image = manager.create(ByteBuffer.wrap(rgb.rgb()), new Shape(im.height(), im.width(), 3),
                DataType.UINT8);
        image.setName("image");
        List<CocoAnnotation> anns = annotations.get(i);
        int n = anns.size();
        float[] boxes = new float[4 * n];
        long[] labels = new long[n];
        for (int j = 0; j < n; j++) {
            double[] b = clippedCorners(anns.get(j), im);
            for (int c = 0; c < 4; c++) {
                boxes[4 * j + c] = (float) b[c];
            }
            labels[j] = categories.label(anns.get(j).categoryId());
        }
        NDList target = new NDList();
        target.add(named(manager.create(boxes, new Shape(n, 4)), "boxes"));
        target.add(named(manager.create(labels, new Shape(n)), "labels"));
        if (includeMasks) {
            int hw = im.height() * im.width();
            byte[] masks = new byte[n * hw];
            for (int j = 0; j < n; j++) {
                byte[] m = anns.get(j).segmentation().toRle(im.height(), im.width()).decodeRowMajor();
                System.arraycopy(m, 0, masks, j * hw, hw);
            }
            target.add(named(manager.create(ByteBuffer.wrap(masks), new Shape(n, im.height(), im.width()),
                    DataType.UINT8), "masks"));
        }
        target.add(named(manager.create(new long[] {im.id()}), "image_id"));
        return new Record(new NDList(image), target);
    }

    @Override
    protected long availableSize() {
        return images.size();
    }

    @Override
    public void prepare(Progress progress) {
        // everything is read and checked when the data set is built
    }

    private List<CocoAnnotation> usable(CocoImage im, boolean includeCrowd) {
        List<CocoAnnotation> kept = new ArrayList<>();
        for (CocoAnnotation a : dataset.annotationsOf(im.id())) {
            if (a.crowd() && !includeCrowd) {
                continue;
            }
            String where = "annotation id " + a.id() + " (image id " + im.id() + ")";
            double[] b = clippedCorners(a, im);
            if (!(b[2] > b[0] && b[3] > b[1])) {
                skipped.add(new CocoWarning(dataset.source(), where, "bbox: empty inside the image; skipped"));
                continue;
            }
            Segmentation s = a.segmentation();
            if (includeMasks && (s == null || s instanceof Segmentation.Invalid)) {
                String why = s == null ? "missing" : ((Segmentation.Invalid) s).reason();
                // an invalid segmentation's reason is a whole message, naming the file and the JSON entry again
                int cut = why.indexOf(": segmentation: ");
                why = why.startsWith(dataset.source() + ": ") && cut >= 0 ? why.substring(cut + 16) : why;
                skipped.add(new CocoWarning(dataset.source(), where, "segmentation: " + why + "; skipped"));
                continue;
            }
            kept.add(a);
        }
        return kept;
    }

    private static double[] clippedCorners(CocoAnnotation a, CocoImage im) {
        double x1 = Math.max(0, Math.min(im.width(), a.bbox(0)));
        double y1 = Math.max(0, Math.min(im.height(), a.bbox(1)));
        double x2 = Math.max(0, Math.min(im.width(), a.bbox(0) + a.bbox(2)));
        double y2 = Math.max(0, Math.min(im.height(), a.bbox(1) + a.bbox(3)));
        return new double[] {x1, y1, x2, y2};
    }

    private Path resolve(CocoImage im, int index) {
        String where = dataset.source() + ": images[" + index + "] (id " + im.id() + "): file_name";
        String name = im.fileName();
        if (name == null || name.isEmpty()) {
            throw new InvalidInputException(where + ": missing");
        }
        Path rel;
        try {
            rel = Path.of(name);
        } catch (InvalidPathException e) {
            throw new InvalidInputException(where + ": '" + name + "' is not a valid path");
        }
        Path p = imageRoot.resolve(rel).normalize();
        if (rel.isAbsolute() || !p.startsWith(imageRoot) || p.equals(imageRoot)) {
            throw new InvalidInputException(where + ": '" + name + "' is outside the image root " + imageRoot);
        }
        return p;
    }

    private static NDArray named(NDArray a, String name) {
        a.setName(name);
        return a;
    }

    /** {@code setDataset} (or {@code setAnnotations}), {@code setImageRoot} and {@code setSampling} are required. */
    public static final class Builder extends BaseBuilder<Builder> {
        private CocoDataset dataset;
        private Path imageRoot;
        private boolean includeMasks = true;
        private boolean includeCrowd;
        private boolean skipEmptyImages;

        private Builder() {}

        @Override
        protected Builder self() {
            return this;
        }

        /** Reads the annotations file. */
        public Builder setAnnotations(Path instancesJson) {
            this.dataset = CocoDataset.read(instancesJson);
            return this;
        }

        public Builder setDataset(CocoDataset dataset) {
            this.dataset = dataset;
            return this;
        }

        /** The folder that {@code file_name} is relative to. */
        public Builder setImageRoot(Path imageRoot) {
            this.imageRoot = imageRoot;
            return this;
        }

        /** Whether items carry masks (default true; Faster R-CNN does not need them). */
        public Builder optIncludeMasks(boolean includeMasks) {
            this.includeMasks = includeMasks;
            return this;
        }

        /** Whether crowd regions are kept as objects (default false). */
        public Builder optIncludeCrowd(boolean includeCrowd) {
            this.includeCrowd = includeCrowd;
            return this;
        }

        /** Whether images without usable annotations are left out (default false; true for training). */
        public Builder optSkipEmptyImages(boolean skip) {
            this.skipEmptyImages = skip;
            return this;
        }

        public CocoDetection build() {
            Objects.requireNonNull(dataset, "setDataset or setAnnotations is required");
            Objects.requireNonNull(imageRoot, "setImageRoot is required");
            return new CocoDetection(this);
        }
    }
}
