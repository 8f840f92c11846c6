package ai.wsbcn.detection.data.synthetic;

import ai.wsbcn.detection.coco.json.CocoAnnotation;
import ai.wsbcn.detection.coco.json.CocoCategory;
import ai.wsbcn.detection.coco.json.CocoDataset;
import ai.wsbcn.detection.coco.json.CocoImage;
import ai.wsbcn.detection.coco.json.CocoJsonWriter;
import ai.wsbcn.detection.coco.json.Segmentation;
import ai.wsbcn.detection.coco.mask.Rle;
import ai.wsbcn.pretrained.data.ImageFiles;
import ai.wsbcn.util.Seeds;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * A synthetic instance-segmentation data set in COCO format: flat-coloured shapes (one category per {@link ShapeKind})
 * at several scales on textured backgrounds, overlapping so that later shapes occlude earlier ones. Masks are exact:
 * each outline is rasterised with COCO's own polygon rasteriser, the image is painted from the same pixels, an
 * instance's mask is what later shapes leave visible, and instances with little left are dropped. Every image is a
 * function of (seed, split, index) only.
 *
 * <pre>{@code
 * SyntheticShapes.Layout l = SyntheticShapes.builder().optImageSize(256, 256).optImagesPerSplit(200, 50)
 *         .optSeed(7).build().write(root);
 * }</pre>
 *
 * Layout: {@code images/train/000001.png ...}, {@code images/val/...}, {@code annotations/instances_train.json},
 * {@code annotations/instances_val.json}; {@code file_name} is relative to the split's image folder.
 */
public final class SyntheticShapes {

    /** The two splits. */
    public enum Split {
        TRAIN,
        VAL;

        public String dirName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** How images are stored. */
    public enum ImageFormat {
        PNG(".png"),
        JPEG(".jpg");

        private final String extension;

        ImageFormat(String extension) {
            this.extension = extension;
        }

        public String extension() {
            return extension;
        }
    }

    /** How masks are stored: polygons where a shape is fully visible (RLE otherwise), or compressed RLE always. */
    public enum SegmentationFormat {
        POLYGON,
        RLE
    }

    /** Where {@link #write} put things. */
    public record Layout(Path root) {
        public Path imageDir(Split split) {
            return root.resolve("images").resolve(split.dirName());
        }

        public Path annotations(Split split) {
            return root.resolve("annotations").resolve("instances_" + split.dirName() + ".json");
        }
    }

    private final int width;
    private final int height;
    private final int trainImages;
    private final int valImages;
    private final long seed;
    private final int minShapes;
    private final int maxShapes;
    private final double minRadius;
    private final double maxRadius;
    private final List<ShapeKind> kinds;
    private final ImageFormat imageFormat;
    private final SegmentationFormat segmentationFormat;
    private final int minVisibleArea;
    private final double minVisibleFraction;

    private SyntheticShapes(Builder b) {
        this.width = b.width;
        this.height = b.height;
        this.trainImages = b.trainImages;
        this.valImages = b.valImages;
        this.seed = b.seed;
        this.minShapes = b.minShapes;
        this.maxShapes = b.maxShapes;
        this.minRadius = b.minRadius;
        this.maxRadius = b.maxRadius;
        this.kinds = List.copyOf(b.kinds);
        this.imageFormat = b.imageFormat;
        this.segmentationFormat = b.segmentationFormat;
        this.minVisibleArea = b.minVisibleArea;
        this.minVisibleFraction = b.minVisibleFraction;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Categories: id {@code i + 1} for the {@code i}-th shape kind, supercategory {@code shape}. */
    public List<CocoCategory> categories() {
        List<CocoCategory> out = new ArrayList<>();
        for (int i = 0; i < kinds.size(); i++) {
            out.add(new CocoCategory(i + 1, kinds.get(i).categoryName(), "shape"));
        }
        return out;
    }

    public int imageCount(Split split) {
        return split == Split.TRAIN ? trainImages : valImages;
    }

    /** Image {@code index} (0-based; its COCO id is {@code index + 1}) of a split. */
    public SyntheticImage render(Split split, int index) {
        SplittableRandom rng = new SplittableRandom(
                Seeds.splitMix(Seeds.splitMix(seed) + 31L * split.ordinal() + 1) ^ Seeds.splitMix(index + 1L));
        byte[] bgr = new byte[width * height * 3];
        Textures.paintBackground(rng, bgr, width, height);
        int n = minShapes + rng.nextInt(maxShapes - minShapes + 1);
        int[] owner = new int[width * height];
        Arrays.fill(owner, -1);
        ShapeKind[] kind = new ShapeKind[n];
        double[][] outline = new double[n][];
        long[] fullArea = new long[n];
        int[][] color = new int[n][];
        double rMax = Math.min(maxRadius * Math.min(width, height), Math.min(width, height) / 2.0 - 1);
        double rMin = Math.min(minRadius * Math.min(width, height), rMax);
        for (int i = 0; i < n; i++) {
            kind[i] = kinds.get(rng.nextInt(kinds.size()));
            double r = rMin * Math.exp(rng.nextDouble() * Math.log(rMax / rMin));
            double cx = r + rng.nextDouble() * (width - 2 * r);
            double cy = r + rng.nextDouble() * (height - 2 * r);
            outline[i] = kind[i].outline(rng, cx, cy, r);
            color[i] = Textures.randomColor(rng, 0.55, 1.0, 0.45, 1.0);
            Rle full = Rle.fromPolygon(outline[i], height, width);
            fullArea[i] = full.area();
            paint(full, i, owner);
        }
        long[] visible = new long[n];
        for (int p = 0; p < owner.length; p++) {
            int i = owner[p];
            if (i >= 0) {
                visible[i]++;
                // owner is column-major (COCO order); the image is row-major
                int x = p / height;
                int y = p - x * height;
                int o = 3 * (y * width + x);
                bgr[o] = (byte) color[i][0];
                bgr[o + 1] = (byte) color[i][1];
                bgr[o + 2] = (byte) color[i][2];
            }
        }
        List<SyntheticInstance> instances = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            if (visible[i] < minVisibleArea || visible[i] < minVisibleFraction * fullArea[i]) {
                continue;
            }
            byte[] mask = new byte[owner.length];
            for (int p = 0; p < owner.length; p++) {
                mask[p] = (byte) (owner[p] == i ? 1 : 0);
            }
            instances.add(new SyntheticInstance(kind[i], Rle.encode(mask, height, width), outline[i],
                    visible[i] < fullArea[i], color[i]));
        }
        return new SyntheticImage(width, height, bgr, instances);
    }

    /** The annotations of a split (renders every image). */
    public CocoDataset dataset(Split split) {
        List<List<SyntheticInstance>> perImage = IntStream.range(0, imageCount(split)).parallel()
                .mapToObj(i -> render(split, i).instances()).toList();
        return toDataset(split, perImage);
    }

    /** Writes both splits under {@code root} (see the class comment for the layout). */
    public Layout write(Path root) throws IOException {
        Layout layout = new Layout(root);
        for (Split split : Split.values()) {
            Path dir = layout.imageDir(split);
            Files.createDirectories(dir);
            List<List<SyntheticInstance>> perImage;
            try {
                perImage = IntStream.range(0, imageCount(split)).parallel().mapToObj(i -> {
                    SyntheticImage im = render(split, i);
                    try {
                        ImageFiles.writeBgr(dir.resolve(fileName(i)), im.bgr(), width, height);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                    return im.instances();
                }).toList();
            } catch (UncheckedIOException e) {
                throw e.getCause();
            }
            CocoJsonWriter.writeDataset(toDataset(split, perImage), layout.annotations(split));
        }
        return layout;
    }

    private CocoDataset toDataset(Split split, List<List<SyntheticInstance>> perImage) {
        CocoDataset.Builder b = CocoDataset.builder("synthetic-" + split.dirName());
        categories().forEach(b::addCategory);
        long annId = 1;
        for (int i = 0; i < perImage.size(); i++) {
            long imageId = i + 1L;
            b.addImage(new CocoImage(imageId, fileName(i), width, height));
            for (SyntheticInstance s : perImage.get(i)) {
                Rle m = s.visibleMask();
                Segmentation seg = segmentationFormat == SegmentationFormat.POLYGON && !s.occluded()
                        ? new Segmentation.Polygons(List.of(s.outline()))
                        : new Segmentation.CompressedRle(height, width, m.toCompressedString());
                b.addAnnotation(CocoAnnotation.groundTruth(annId++, imageId, kinds.indexOf(s.kind()) + 1L,
                        m.toBbox(), m.area(), false, seg));
            }
        }
        return b.build();
    }

    private String fileName(int index) {
        return String.format(Locale.ROOT, "%06d%s", index + 1, imageFormat.extension());
    }

    private void paint(Rle mask, int index, int[] owner) {
        int pos = 0;
        for (int j = 0; j < mask.runs(); j++) {
            int c = (int) mask.count(j);
            if ((j & 1) == 1) {
                Arrays.fill(owner, pos, pos + c, index);
            }
            pos += c;
        }
    }


    public static final class Builder {
        private int width = 256;
        private int height = 256;
        private int trainImages = 64;
        private int valImages = 16;
        private long seed = 42;
        private int minShapes = 2;
        private int maxShapes = 6;
        private double minRadius = 0.05;
        private double maxRadius = 0.3;
        private List<ShapeKind> kinds = List.of(ShapeKind.CIRCLE, ShapeKind.SQUARE, ShapeKind.TRIANGLE,
                ShapeKind.ELLIPSE, ShapeKind.STAR);
        private ImageFormat imageFormat = ImageFormat.PNG;
        private SegmentationFormat segmentationFormat = SegmentationFormat.POLYGON;
        private int minVisibleArea = 20;
        private double minVisibleFraction = 0.2;

        private Builder() {}

        /** Image size in pixels (default 256 x 256). */
        public Builder optImageSize(int width, int height) {
            if (width < 16 || height < 16) {
                throw new IllegalArgumentException("images must be at least 16 x 16");
            }
            this.width = width;
            this.height = height;
            return this;
        }

        /** Images per split (default 64 train, 16 val). */
        public Builder optImagesPerSplit(int train, int val) {
            if (train < 0 || val < 0) {
                throw new IllegalArgumentException("image counts must be >= 0");
            }
            this.trainImages = train;
            this.valImages = val;
            return this;
        }

        /** Seed (default 42): the same seed gives the same files. */
        public Builder optSeed(long seed) {
            this.seed = seed;
            return this;
        }

        /** Shapes drawn per image (default 2..6; some may be dropped when hidden). */
        public Builder optShapesPerImage(int min, int max) {
            if (min < 0 || max < min) {
                throw new IllegalArgumentException("need 0 <= min <= max shapes");
            }
            this.minShapes = min;
            this.maxShapes = max;
            return this;
        }

        /** Shape radius range as fractions of the shorter image side, sampled log-uniformly (default 0.05..0.3). */
        public Builder optRadiusRange(double min, double max) {
            if (!(min > 0) || max < min || max > 0.5) {
                throw new IllegalArgumentException("need 0 < min <= max <= 0.5");
            }
            this.minRadius = min;
            this.maxRadius = max;
            return this;
        }

        /** The shape kinds, i.e. the categories in order (default circle, square, triangle, ellipse, star). */
        public Builder optShapes(ShapeKind... kinds) {
            if (kinds.length == 0 || Arrays.stream(kinds).distinct().count() != kinds.length) {
                throw new IllegalArgumentException("need distinct shape kinds");
            }
            this.kinds = List.of(kinds);
            return this;
        }

        public Builder optImageFormat(ImageFormat format) {
            this.imageFormat = format;
            return this;
        }

        public Builder optSegmentationFormat(SegmentationFormat format) {
            this.segmentationFormat = format;
            return this;
        }

        /**
         * Drops an instance when fewer than {@code pixels} or less than {@code fraction} of its pixels stay visible
         * (default 20 pixels, 0.2).
         */
        public Builder optMinVisible(int pixels, double fraction) {
            if (pixels < 1 || fraction < 0 || fraction > 1) {
                throw new IllegalArgumentException("need pixels >= 1 and 0 <= fraction <= 1");
            }
            this.minVisibleArea = pixels;
            this.minVisibleFraction = fraction;
            return this;
        }

        public SyntheticShapes build() {
            return new SyntheticShapes(this);
        }
    }
}
