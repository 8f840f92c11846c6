package ai.wsbcn.detection.coco.eval;

import ai.wsbcn.detection.coco.json.CocoAnnotation;
import ai.wsbcn.detection.coco.json.CocoDataset;
import ai.wsbcn.detection.coco.json.CocoResults;
import ai.wsbcn.util.InvalidInputException;

import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ForkJoinPool;
import java.util.stream.IntStream;

/**
 * COCO detection evaluation with pycocotools' semantics ({@code COCOeval} for {@code bbox} and {@code segm}), in
 * parallel over (image, category) pairs and then over categories.
 *
 * <pre>{@code
 * CocoEvalResult r = CocoEvaluator.builder().setGroundTruth(gt).setResults(dt).setIouType(IouType.BBOX).build().run();
 * r.summaryLines().forEach(System.out::println);
 * }</pre>
 */
public final class CocoEvaluator {

    private final CocoDataset groundTruth;
    private final CocoResults results;
    private final IouType iouType;
    private final long[] imageIds;
    private final int parallelism;
    private final NumpyCompat.Summation summation;

    private CocoEvaluator(Builder b) {
        this.groundTruth = b.groundTruth;
        this.results = b.results;
        this.iouType = b.iouType;
        this.imageIds = b.imageIds != null ? b.imageIds : groundTruth.sortedImageIds();
        this.parallelism = b.parallelism;
        this.summation = b.summation;
    }

    /**
     * What a segm evaluation of {@code imageIds} (every image when {@code null}) would fail on, checked up front: a
     * ground truth without a usable mask (pycocotools fails on it too). Lets a command refuse the file before it
     * trains or runs a model rather than after.
     */
    public static void requireMasks(CocoDataset groundTruth, long[] imageIds) {
        long[] sorted = imageIds == null ? null : imageIds.clone();
        if (sorted != null) {
            Arrays.sort(sorted);
        }
        for (CocoAnnotation a : groundTruth.annotations()) {
            if (sorted == null || Arrays.binarySearch(sorted, a.imageId()) >= 0) {
                EvalInput.requireMask(groundTruth, a);
            }
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** {@link #evaluate()} then {@link #accumulate}. */
    public CocoEvalResult run() {
        return accumulate(evaluate());
    }

    /** Per image and category matching ({@code COCOeval.evaluate()}). */
    public ImageEvaluations evaluate() {
        EvalInput in = new EvalInput(groundTruth, results, imageIds, iouType);
        PairEvaluation[] pairs = new PairEvaluation[in.numPairs];
        inPool(() -> IntStream.range(0, in.numPairs).parallel()
                .forEach(p -> pairs[p] = PairEvaluation.evaluate(in, p, iouType)));
        return new ImageEvaluations(this, in, pairs);
    }

    /** Precision and recall over all images ({@code COCOeval.accumulate()}) and the summary. */
    public CocoEvalResult accumulate(ImageEvaluations evaluations) {
        if (evaluations.evaluator() != this) {
            throw new IllegalArgumentException("these image evaluations come from another evaluator");
        }
        EvalInput in = evaluations.input();
        PairEvaluation[] pairs = evaluations.pairs();
        int numK = in.numCategories();
        int numA = CocoEvalParams.numAreas();
        int numM = CocoEvalParams.numMaxDets();
        double[] precision = new double[CocoEvalParams.numIou() * CocoEvalParams.numRecall() * numK * numA * numM];
        double[] recall = new double[CocoEvalParams.numIou() * numK * numA * numM];
        Arrays.fill(precision, -1);
        Arrays.fill(recall, -1);
        // pairs are sorted by category then image: category k owns one contiguous range
        int[] from = new int[numK + 1];
        for (int p = 0, k = 0; k <= numK; k++) {
            while (p < in.numPairs && in.pairCategory[p] < k) {
                p++;
            }
            from[k] = p;
        }
        Accumulator acc = new Accumulator(in, pairs, precision, recall);
        inPool(() -> IntStream.range(0, numK).parallel().forEach(k -> acc.accumulate(k, from[k], from[k + 1])));
        String[] names = new String[numK];
        for (int k = 0; k < numK; k++) {
            long id = in.categoryIds[k];
            names[k] = groundTruth.category(id).map(c -> c.name()).orElse("");
        }
        return new CocoEvalResult(iouType, in.categoryIds, names, precision, recall, summation);
    }

    private void inPool(Runnable work) {
        if (parallelism <= 0) {
            work.run();
            return;
        }
        ForkJoinPool pool = new ForkJoinPool(parallelism);
        try {
            pool.submit(work).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof RuntimeException re) {
                throw re;
            }
            if (c instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(c);
        } finally {
            pool.shutdown();
        }
    }

    /** The result of {@link #evaluate()}: what {@link #accumulate} needs. */
    public static final class ImageEvaluations {
        private final CocoEvaluator evaluator;
        private final EvalInput input;
        private final PairEvaluation[] pairs;

        private ImageEvaluations(CocoEvaluator evaluator, EvalInput input, PairEvaluation[] pairs) {
            this.evaluator = evaluator;
            this.input = input;
            this.pairs = pairs;
        }

        CocoEvaluator evaluator() {
            return evaluator;
        }

        EvalInput input() {
            return input;
        }

        PairEvaluation[] pairs() {
            return pairs;
        }

        /** Number of (image, category) pairs with ground truth or detections. */
        public int numPairs() {
            return pairs.length;
        }
    }

    public static final class Builder {
        private CocoDataset groundTruth;
        private CocoResults results;
        private IouType iouType;
        private long[] imageIds;
        private int parallelism;
        private NumpyCompat.Summation summation = NumpyCompat.Summation.WHOLE_ARRAY;

        private Builder() {}

        public Builder setGroundTruth(CocoDataset groundTruth) {
            this.groundTruth = groundTruth;
            return this;
        }

        /** Detections; they must have been resolved against the same ground truth. */
        public Builder setResults(CocoResults results) {
            this.results = results;
            return this;
        }

        public Builder setIouType(IouType iouType) {
            this.iouType = iouType;
            return this;
        }

        /** Evaluates only these images (pycocotools' {@code params.imgIds}); default all images of the ground truth. */
        public Builder optImageIds(long... ids) {
            long[] sorted = Arrays.stream(ids).sorted().distinct().toArray();
            this.imageIds = sorted;
            return this;
        }

        /** Threads; 0 (default) uses the common fork-join pool. */
        public Builder optParallelism(int threads) {
            if (threads < 0) {
                throw new IllegalArgumentException("parallelism must be >= 0");
            }
            this.parallelism = threads;
            return this;
        }

        /**
         * The summation order of the numpy whose pycocotools results should be matched bit for bit (default: numpy
         * 2.3 and later); printed digits are the same either way.
         */
        public Builder optNumpySummation(NumpyCompat.Summation summation) {
            this.summation = Objects.requireNonNull(summation, "summation");
            return this;
        }

        public CocoEvaluator build() {
            Objects.requireNonNull(groundTruth, "setGroundTruth is required");
            Objects.requireNonNull(results, "setResults is required");
            Objects.requireNonNull(iouType, "setIouType is required");
            if (results.groundTruth() != groundTruth) {
                throw new IllegalArgumentException("the results were resolved against another ground truth");
            }
            if (imageIds != null) {
                for (long id : imageIds) {
                    if (groundTruth.image(id).isEmpty()) {
                        throw new InvalidInputException("image id " + id + " is not an image of "
                                + groundTruth.source());
                    }
                }
            }
            return new CocoEvaluator(this);
        }
    }
}
