package ai.wsbcn.detection.data.synthetic;

import ai.wsbcn.detection.coco.json.CocoAnnotation;
import ai.wsbcn.detection.coco.json.CocoCategory;
import ai.wsbcn.detection.coco.json.CocoDataset;
import ai.wsbcn.detection.coco.json.CocoImage;
import ai.wsbcn.detection.coco.json.CocoResults;
import ai.wsbcn.detection.coco.json.Segmentation;
import ai.wsbcn.detection.coco.mask.Rle;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * A COCO-val2017-sized evaluation problem without images, for benchmarking the evaluator: by default 5,000 images of
 * COCO's sizes, 80 categories with a long-tailed frequency, about 7.3 objects per image (about 36,000) whose sizes
 * spread over small/medium/large like COCO's, 1% crowd regions, and exactly 100 detections per image (noisy copies of
 * the objects, duplicates and false positives, scores rounded to 4 digits so that ties occur). Objects are polygons;
 * with masks, detections carry compressed RLEs. Deterministic by seed.
 */
public final class SyntheticEvalProblem {

    /** The generated ground truth and detections. */
    public record Problem(CocoDataset groundTruth, CocoResults results) {}

    private static final int[][] SIZES = {{640, 480}, {480, 640}, {640, 427}, {427, 640}, {500, 375}, {640, 360}};

    private final int images;
    private final int categories;
    private final double objectsPerImage;
    private final int detectionsPerImage;
    private final boolean masks;
    private final long seed;

    private SyntheticEvalProblem(Builder b) {
        this.images = b.images;
        this.categories = b.categories;
        this.objectsPerImage = b.objectsPerImage;
        this.detectionsPerImage = b.detectionsPerImage;
        this.masks = b.masks;
        this.seed = b.seed;
    }

    public static Builder builder() {
        return new Builder();
    }

    private record Obj(long category, double[] polygon, double[] box, double area, boolean crowd) {}

    private record Det(long category, double[] box, double score, double[] polygon) {}

    private record ImageData(CocoImage image, List<Obj> objects, List<Det> detections) {}

    public Problem generate() {
        // long-tailed category frequencies, as cumulative weights
        double[] catWeights = new double[categories];
        double total = 0;
        for (int k = 0; k < categories; k++) {
            total += 1.0 / (k + 1);
            catWeights[k] = total;
        }
        List<ImageData> data = IntStream.range(0, images).parallel()
                .mapToObj(i -> image(i, new SplittableRandom(seed * 1_000_003L + i), catWeights)).toList();
        CocoDataset.Builder gb = CocoDataset.builder("synthetic-val2017-like");
        for (int k = 0; k < categories; k++) {
            gb.addCategory(new CocoCategory(k + 1, "category" + (k + 1), "synthetic"));
        }
        long annId = 1;
        for (ImageData d : data) {
            gb.addImage(d.image());
            for (Obj o : d.objects()) {
                gb.addAnnotation(CocoAnnotation.groundTruth(annId++, d.image().id(), o.category(), o.box(), o.area(),
                        o.crowd(), groundTruthMask(o, d.image())));
            }
        }
        CocoDataset gt = gb.build();
        List<Segmentation> dtMasks = masks ? detectionMasks(data) : null;
        CocoResults.Builder rb = CocoResults.builder(gt, "synthetic-detections");
        int j = 0;
        for (ImageData d : data) {
            for (Det det : d.detections()) {
                rb.add(d.image().id(), det.category(), det.box(), det.score(), masks ? dtMasks.get(j) : null);
                j++;
            }
        }
        return new Problem(gt, rb.build());
    }

    private static Segmentation groundTruthMask(Obj o, CocoImage image) {
        if (!o.crowd()) {
            return new Segmentation.Polygons(List.of(o.polygon()));
        }
        // crowd regions are uncompressed RLE in COCO
        return new Segmentation.UncompressedRle(Rle.fromPolygon(o.polygon(), image.height(), image.width()));
    }

    private static List<Segmentation> detectionMasks(List<ImageData> data) {
        return data.parallelStream().flatMap(d -> d.detections().stream().map(det -> {
            Rle m = Rle.fromPolygon(det.polygon(), d.image().height(), d.image().width());
            return (Segmentation) new Segmentation.CompressedRle(m.height(), m.width(), m.toCompressedString());
        })).toList();
    }

    private ImageData image(int index, SplittableRandom rng, double[] catWeights) {
        int[] size = SIZES[rng.nextInt(SIZES.length)];
        int w = size[0];
        int h = size[1];
        CocoImage image = new CocoImage(index + 1L, String.format(Locale.ROOT, "%012d.jpg", index + 1), w, h);
        int n = poisson(rng, objectsPerImage);
        List<Obj> objects = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            long cat = 1 + sample(rng, catWeights);
            double[] poly = blob(rng, randomBox(rng, w, h), 8 + rng.nextInt(9));
            boolean crowd = rng.nextDouble() < 0.01;
            objects.add(new Obj(cat, poly, boundingBox(poly), shoelace(poly), crowd));
        }
        List<Det> dets = new ArrayList<>();
        for (Obj o : objects) {
            if (o.crowd() || rng.nextDouble() > 0.85) {
                continue;
            }
            int copies = rng.nextDouble() < 0.3 ? 2 : 1;
            for (int c = 0; c < copies; c++) {
                double u = rng.nextDouble();
                double noise = 0.01 + 0.25 * u * u;
                long cat = rng.nextDouble() < 0.9 ? o.category() : 1 + sample(rng, catWeights);
                double score = (c == 0 ? 0.3 + 0.7 * rng.nextDouble() : 0.6 * rng.nextDouble());
                dets.add(jitter(rng, o, cat, noise, score, w, h));
            }
        }
        while (dets.size() < detectionsPerImage) {
            double[] box = randomBox(rng, w, h);
            double u = rng.nextDouble();
            dets.add(new Det(1 + sample(rng, catWeights), box, round4(0.5 * u * u), blob(rng, box, 8)));
        }
        // a detector keeps its top-scoring detections per image
        dets.sort((a, b) -> Double.compare(b.score(), a.score()));
        return new ImageData(image, objects, new ArrayList<>(dets.subList(0, detectionsPerImage)));
    }

    private static Det jitter(SplittableRandom rng, Obj o, long cat, double noise, double score, int w, int h) {
        double[] b = o.box();
        double sx = Math.exp(gaussian(rng) * noise);
        double sy = Math.exp(gaussian(rng) * noise);
        double dx = gaussian(rng) * noise * b[2];
        double dy = gaussian(rng) * noise * b[3];
        double cx = b[0] + b[2] / 2;
        double cy = b[1] + b[3] / 2;
        double[] poly = new double[o.polygon().length];
        for (int i = 0; i < poly.length; i += 2) {
            poly[i] = clamp(round2(cx + dx + (o.polygon()[i] - cx) * sx), 0, w);
            poly[i + 1] = clamp(round2(cy + dy + (o.polygon()[i + 1] - cy) * sy), 0, h);
        }
        double[] box = boundingBox(poly);
        if (box[2] < 1 || box[3] < 1) {
            // squeezed against the image border: report the object itself instead
            return new Det(cat, o.box(), round4(score), o.polygon());
        }
        return new Det(cat, box, round4(score), poly);
    }

    /** Box sizes log-uniform in sqrt(area) from 4 to 500 pixels, aspect ratio log-normal, inside the image. */
    private static double[] randomBox(SplittableRandom rng, int w, int h) {
        double side = 4 * Math.exp(rng.nextDouble() * Math.log(500 / 4.0));
        double aspect = Math.exp(0.5 * gaussian(rng));
        double bw = Math.min(side * Math.sqrt(aspect), w - 1);
        double bh = Math.min(side / Math.sqrt(aspect), h - 1);
        double x = rng.nextDouble() * (w - bw);
        double y = rng.nextDouble() * (h - bh);
        return new double[] {round2(x), round2(y), round2(bw), round2(bh)};
    }

    /** A star-shaped polygon inside a box, like an object outline. */
    private static double[] blob(SplittableRandom rng, double[] box, int k) {
        double cx = box[0] + box[2] / 2;
        double cy = box[1] + box[3] / 2;
        double[] xy = new double[2 * k];
        for (int i = 0; i < k; i++) {
            double t = 2 * Math.PI * i / k;
            double r = 0.55 + 0.45 * rng.nextDouble();
            xy[2 * i] = round2(cx + r * box[2] / 2 * Math.cos(t));
            xy[2 * i + 1] = round2(cy + r * box[3] / 2 * Math.sin(t));
        }
        return xy;
    }

    private static double[] boundingBox(double[] poly) {
        double x0 = Double.MAX_VALUE;
        double y0 = Double.MAX_VALUE;
        double x1 = -Double.MAX_VALUE;
        double y1 = -Double.MAX_VALUE;
        for (int i = 0; i < poly.length; i += 2) {
            x0 = Math.min(x0, poly[i]);
            x1 = Math.max(x1, poly[i]);
            y0 = Math.min(y0, poly[i + 1]);
            y1 = Math.max(y1, poly[i + 1]);
        }
        return new double[] {x0, y0, round2(x1 - x0), round2(y1 - y0)};
    }

    private static double shoelace(double[] p) {
        double s = 0;
        int n = p.length / 2;
        for (int i = 0; i < n; i++) {
            int j = (i + 1) % n;
            s += p[2 * i] * p[2 * j + 1] - p[2 * j] * p[2 * i + 1];
        }
        return round2(Math.abs(s) / 2);
    }

    private static int poisson(SplittableRandom rng, double mean) {
        double l = Math.exp(-mean);
        int k = 0;
        double p = rng.nextDouble();
        while (p > l) {
            k++;
            p *= rng.nextDouble();
        }
        return k;
    }

    /** An index drawn with probability proportional to its weight, given cumulative weights. */
    private static int sample(SplittableRandom rng, double[] cumulative) {
        double u = rng.nextDouble() * cumulative[cumulative.length - 1];
        int i = Arrays.binarySearch(cumulative, u);
        return Math.min(i >= 0 ? i + 1 : -i - 1, cumulative.length - 1);
    }

    private static double gaussian(SplittableRandom rng) {
        // Box-Muller; SplittableRandom has no nextGaussian in Java 17
        double u = 1 - rng.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng.nextDouble());
    }

    private static double clamp(double v, double lo, double hi) {
        return Math.max(lo, Math.min(hi, v));
    }

    private static double round2(double v) {
        return Math.round(v * 100) / 100.0;
    }

    private static double round4(double v) {
        return Math.round(v * 10000) / 10000.0;
    }

    public static final class Builder {
        private int images = 5000;
        private int categories = 80;
        private double objectsPerImage = 7.3;
        private int detectionsPerImage = 100;
        private boolean masks;
        private long seed;

        private Builder() {}

        /** Number of images (default 5,000 like val2017). */
        public Builder optImages(int images) {
            this.images = images;
            return this;
        }

        /** Number of categories (default 80). */
        public Builder optCategories(int categories) {
            this.categories = categories;
            return this;
        }

        /** Mean objects per image (default 7.3, about 36,000 for 5,000 images). */
        public Builder optObjectsPerImage(double mean) {
            this.objectsPerImage = mean;
            return this;
        }

        /** Detections per image (default 100). */
        public Builder optDetectionsPerImage(int n) {
            this.detectionsPerImage = n;
            return this;
        }

        /** Whether detections carry masks (needed for segm evaluation; default false). */
        public Builder optMasks(boolean masks) {
            this.masks = masks;
            return this;
        }

        public Builder optSeed(long seed) {
            this.seed = seed;
            return this;
        }

        public SyntheticEvalProblem build() {
            if (images < 1 || categories < 1 || detectionsPerImage < 0 || objectsPerImage < 0) {
                throw new IllegalArgumentException("need images >= 1, categories >= 1 and non-negative counts");
            }
            return new SyntheticEvalProblem(this);
        }
    }
}
