package ai.wsbcn.segmentation.data.synthetic;

import ai.wsbcn.pretrained.data.ImageFiles;
import ai.wsbcn.pretrained.data.RgbImage;
import ai.wsbcn.segmentation.data.LabelMap;
import ai.wsbcn.segmentation.data.LabelPng;
import ai.wsbcn.segmentation.data.SegmentationSample;
import ai.wsbcn.util.AtomicFiles;
import ai.wsbcn.util.Hsv;
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
 * A synthetic semantic-segmentation set in PASCAL VOC layout: filled shapes of several classes ({@link ShapeClass})
 * at random positions, sizes and rotations, overlapping (later shapes occlude earlier ones), on textured backgrounds
 * with pixel noise. Label maps are exact (the image is painted from the same per-pixel class decision) and, like VOC,
 * a band of {@code 255} (ignore) pixels lines every boundary between different classes. Every image is a function of
 * (seed, split, index) only.
 *
 * <pre>{@code
 * SyntheticVoc.builder().optImageSize(160, 120).optImagesPerSplit(300, 60).optSeed(7).build().write(root);
 * }</pre>
 *
 * Writes {@code JPEGImages/<id>.jpg}, {@code SegmentationClass/<id>.png} (palette PNGs) and
 * {@code ImageSets/Segmentation/{train,val}.txt}; with {@link Builder#optAugLayout} also the SBD-style
 * {@code SegmentationClassAug/<id>.png} (grey PNGs) and {@code ImageSets/Segmentation/train_aug.txt}.
 */
public final class SyntheticVoc {

    /** The two splits; ids are {@code train_000001}, {@code val_000001}, ... */
    public enum Split {
        TRAIN,
        VAL;

        public String listName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private static final int NOISE = 12;

    private final int width;
    private final int height;
    private final int trainImages;
    private final int valImages;
    private final long seed;
    private final int minShapes;
    private final int maxShapes;
    private final double minRadius;
    private final double maxRadius;
    private final int band;
    private final List<ShapeClass> classes;
    private final boolean augLayout;

    private SyntheticVoc(Builder b) {
        this.width = b.width;
        this.height = b.height;
        this.trainImages = b.trainImages;
        this.valImages = b.valImages;
        this.seed = b.seed;
        this.minShapes = b.minShapes;
        this.maxShapes = b.maxShapes;
        this.minRadius = b.minRadius;
        this.maxRadius = b.maxRadius;
        this.band = b.band;
        this.classes = List.copyOf(b.classes);
        this.augLayout = b.augLayout;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Number of classes including background. */
    public int numClasses() {
        return classes.size() + 1;
    }

    /** Class names by index: {@code background}, then the shape classes. */
    public List<String> classNames() {
        List<String> names = new ArrayList<>();
        names.add("background");
        classes.forEach(c -> names.add(c.className()));
        return names;
    }

    public int imageCount(Split split) {
        return split == Split.TRAIN ? trainImages : valImages;
    }

    public static String id(Split split, int index) {
        return String.format(Locale.ROOT, "%s_%06d", split.listName(), index + 1);
    }

    /** Renders image {@code index} of a split with its exact label map. */
    public SegmentationSample render(Split split, int index) {
        SplittableRandom rng = new SplittableRandom(
                Seeds.murmurMix(Seeds.murmurMix(seed) + 31L * split.ordinal() + 1) ^ Seeds.murmurMix(index + 1L));
        byte[] rgb = new byte[width * height * 3];
        paintBackground(rng, rgb);
        byte[] label = new byte[width * height];
        int n = minShapes + rng.nextInt(maxShapes - minShapes + 1);
        int side = Math.min(width, height);
        for (int i = 0; i < n; i++) {
            int k = rng.nextInt(classes.size());
            ShapeClass cls = classes.get(k);
            double r = side * (minRadius * Math.exp(rng.nextDouble() * Math.log(maxRadius / minRadius)));
            double cx = rng.nextDouble() * width;
            double cy = rng.nextDouble() * height;
            double angle = rng.nextDouble(2 * Math.PI);
            int[] colour = hsv(cls.hue() + rng.nextDouble(-0.35, 0.35), 0.55 + rng.nextDouble(0.45),
                    0.5 + rng.nextDouble(0.5));
            double ca = Math.cos(angle);
            double sa = Math.sin(angle);
            int x0 = Math.max(0, (int) Math.floor(cx - r - 1));
            int x1 = Math.min(width - 1, (int) Math.ceil(cx + r + 1));
            int y0 = Math.max(0, (int) Math.floor(cy - r - 1));
            int y1 = Math.min(height - 1, (int) Math.ceil(cy + r + 1));
            for (int y = y0; y <= y1; y++) {
                for (int x = x0; x <= x1; x++) {
                    double dx = (x + 0.5 - cx) / r;
                    double dy = (y + 0.5 - cy) / r;
                    if (cls.contains(ca * dx + sa * dy, -sa * dx + ca * dy)) {
                        int p = y * width + x;
                        label[p] = (byte) (k + 1);
                        for (int c = 0; c < 3; c++) {
                            rgb[3 * p + c] = clamp(colour[c] + rng.nextInt(2 * NOISE + 1) - NOISE);
                        }
                    }
                }
            }
        }
        return new SegmentationSample(id(split, index), new RgbImage(width, height, rgb),
                new LabelMap(width, height, withBand(label)));
    }

    /** Marks every pixel within {@code band} (Chebyshev distance) of a pixel of another class as 255. */
    private byte[] withBand(byte[] label) {
        if (band == 0) {
            return label;
        }
        byte[] out = label.clone();
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                byte v = label[y * width + x];
                search:
                for (int yy = Math.max(0, y - band); yy <= Math.min(height - 1, y + band); yy++) {
                    for (int xx = Math.max(0, x - band); xx <= Math.min(width - 1, x + band); xx++) {
                        if (label[yy * width + xx] != v) {
                            out[y * width + x] = (byte) LabelMap.IGNORE;
                            break search;
                        }
                    }
                }
            }
        }
        return out;
    }

    /** Writes both splits under {@code root} in VOC layout (see the class comment) and returns {@code root}. */
    public Path write(Path root) throws IOException {
        Path images = Files.createDirectories(root.resolve("JPEGImages"));
        Path labels = Files.createDirectories(root.resolve("SegmentationClass"));
        Path aug = augLayout ? Files.createDirectories(root.resolve("SegmentationClassAug")) : null;
        Path sets = Files.createDirectories(root.resolve("ImageSets").resolve("Segmentation"));
        for (Split split : Split.values()) {
            try {
                IntStream.range(0, imageCount(split)).parallel().forEach(i -> {
                    SegmentationSample s = render(split, i);
                    try {
                        ImageFiles.writeRgb(images.resolve(s.id() + ".jpg"), s.image());
                        LabelPng.write(labels.resolve(s.id() + ".png"), s.label());
                        if (aug != null && split == Split.TRAIN) {
                            LabelPng.writeGrey(aug.resolve(s.id() + ".png"), s.label());
                        }
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
            } catch (UncheckedIOException e) {
                throw e.getCause();
            }
            StringBuilder list = new StringBuilder();
            for (int i = 0; i < imageCount(split); i++) {
                list.append(id(split, i)).append('\n');
            }
            AtomicFiles.writeString(sets.resolve(split.listName() + ".txt"), list.toString());
            if (aug != null && split == Split.TRAIN) {
                AtomicFiles.writeString(sets.resolve("train_aug.txt"), list.toString());
            }
        }
        AtomicFiles.writeString(root.resolve("classes.txt"), String.join("\n", classNames()) + "\n");
        return root;
    }

    private void paintBackground(SplittableRandom rng, byte[] rgb) {
        int[] c0 = hsv(rng.nextDouble(6), 0.05 + rng.nextDouble(0.35), 0.25 + rng.nextDouble(0.6));
        int[] c1 = hsv(rng.nextDouble(6), 0.05 + rng.nextDouble(0.35), 0.25 + rng.nextDouble(0.6));
        int kind = rng.nextInt(3);
        double angle = rng.nextDouble(Math.PI);
        double ca = Math.cos(angle);
        double sa = Math.sin(angle);
        double period = 5 + rng.nextDouble(Math.max(width, height) / 3.0);
        int cell = 3 + rng.nextInt(Math.max(4, Math.min(width, height) / 6));
        double diag = Math.hypot(width, height);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                double t = switch (kind) {
                    case 0 -> ((x * ca + y * sa) / diag + 1) / 2;
                    case 1 -> 0.5 + 0.5 * Math.sin(2 * Math.PI * (x * ca + y * sa) / period);
                    default -> ((x / cell + y / cell) & 1) == 0 ? 0.2 : 0.8;
                };
                int o = 3 * (y * width + x);
                for (int c = 0; c < 3; c++) {
                    rgb[o + c] = clamp((int) Math.round(c0[c] + t * (c1[c] - c0[c])) + rng.nextInt(2 * NOISE + 1)
                            - NOISE);
                }
            }
        }
    }

    /** RGB 0..255 of hue {@code h} (0..6, wrapping), saturation and value in 0..1. */
    private static int[] hsv(double h, double s, double v) {
        return Hsv.toRgb(((h % 6) + 6) % 6, s, v);
    }

    private static byte clamp(int v) {
        return (byte) Math.max(0, Math.min(255, v));
    }


    /** Builder; every option has a default (160x120 images, 200/50 per split, 1-4 shapes, 1-pixel band). */
    public static final class Builder {
        private int width = 160;
        private int height = 120;
        private int trainImages = 200;
        private int valImages = 50;
        private long seed = 1;
        private int minShapes = 1;
        private int maxShapes = 4;
        private double minRadius = 0.12;
        private double maxRadius = 0.35;
        private int band = 1;
        private List<ShapeClass> classes = Arrays.asList(ShapeClass.values());
        private boolean augLayout;

        public Builder optImageSize(int width, int height) {
            if (width < 8 || height < 8) {
                throw new IllegalArgumentException("image size must be at least 8x8, got " + width + "x" + height);
            }
            this.width = width;
            this.height = height;
            return this;
        }

        public Builder optImagesPerSplit(int train, int val) {
            if (train < 0 || val < 0) {
                throw new IllegalArgumentException("image counts must be >= 0");
            }
            this.trainImages = train;
            this.valImages = val;
            return this;
        }

        public Builder optSeed(long seed) {
            this.seed = seed;
            return this;
        }

        public Builder optShapesPerImage(int min, int max) {
            if (min < 0 || max < min) {
                throw new IllegalArgumentException("shapes per image must satisfy 0 <= min <= max");
            }
            this.minShapes = min;
            this.maxShapes = max;
            return this;
        }

        /** Shape radius range as a fraction of the shorter image side. */
        public Builder optRadius(double min, double max) {
            if (!(min > 0 && max >= min)) {
                throw new IllegalArgumentException("radius range must satisfy 0 < min <= max");
            }
            this.minRadius = min;
            this.maxRadius = max;
            return this;
        }

        /** Half-width of the 255 band along class boundaries (0 = none; 1 = a band about 2 pixels wide). */
        public Builder optBand(int band) {
            if (band < 0) {
                throw new IllegalArgumentException("band must be >= 0");
            }
            this.band = band;
            return this;
        }

        public Builder optClasses(List<ShapeClass> classes) {
            if (classes.isEmpty() || classes.size() > 254) {
                throw new IllegalArgumentException("need 1..254 shape classes");
            }
            this.classes = List.copyOf(classes);
            return this;
        }

        /** Also write the SBD-style {@code SegmentationClassAug} grey labels and {@code train_aug.txt}. */
        public Builder optAugLayout(boolean augLayout) {
            this.augLayout = augLayout;
            return this;
        }

        public SyntheticVoc build() {
            return new SyntheticVoc(this);
        }
    }
}
