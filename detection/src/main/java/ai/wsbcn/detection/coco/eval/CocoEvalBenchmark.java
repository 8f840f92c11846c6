package ai.wsbcn.detection.coco.eval;

import ai.wsbcn.detection.coco.json.CocoJsonWriter;
import ai.wsbcn.detection.data.synthetic.SyntheticEvalProblem;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Times the evaluator on a {@link SyntheticEvalProblem} (by default COCO val2017-sized), repeating the run so that
 * the JIT has warmed up, and optionally writes the problem as JSON for timing pycocotools on the same data
 * ({@code bench/pycocotools_coco_eval.py}).
 */
public final class CocoEvalBenchmark {

    /** Seconds of one run. */
    public record Timing(double evaluate, double accumulate) {
        public double total() {
            return evaluate + accumulate;
        }
    }

    private final int images;
    private final IouType iouType;
    private final int repeat;
    private final int threads;
    private final long seed;
    private final Path writeDir;

    /**
     * @param writeDir where to write {@code instances.json} and {@code results.json}, or {@code null}
     */
    public CocoEvalBenchmark(int images, IouType iouType, int repeat, int threads, long seed, Path writeDir) {
        if (images < 1 || repeat < 1) {
            throw new IllegalArgumentException("need at least one image and one run");
        }
        this.images = images;
        this.iouType = iouType;
        this.repeat = repeat;
        this.threads = threads;
        this.seed = seed;
        this.writeDir = writeDir;
    }

    /** Runs the benchmark, printing progress and results to {@code out}; returns the fastest run. */
    public Timing run(PrintStream out) throws IOException {
        long t0 = System.nanoTime();
        SyntheticEvalProblem.Problem p = SyntheticEvalProblem.builder().optImages(images)
                .optMasks(iouType == IouType.SEGM).optSeed(seed).build().generate();
        out.printf(Locale.ROOT, "problem: %d images, %d ground truths, %d detections, %d categories"
                + " (generated in %.1f s)%n", p.groundTruth().images().size(), p.groundTruth().annotations().size(),
                p.results().detections().size(), p.groundTruth().categories().size(), seconds(t0));
        if (writeDir != null) {
            Path gt = writeDir.resolve("instances.json");
            Path dt = writeDir.resolve("results.json");
            CocoJsonWriter.writeDataset(p.groundTruth(), gt);
            CocoJsonWriter.writeResults(p.results().detections(), dt);
            out.printf(Locale.ROOT, "wrote %s and %s%n", gt, dt);
        }
        Timing best = null;
        CocoEvalResult result = null;
        for (int r = 0; r < repeat; r++) {
            CocoEvaluator ev = CocoEvaluator.builder().setGroundTruth(p.groundTruth()).setResults(p.results())
                    .setIouType(iouType).optParallelism(threads).build();
            long a = System.nanoTime();
            CocoEvaluator.ImageEvaluations e = ev.evaluate();
            double evaluate = seconds(a);
            long b = System.nanoTime();
            result = ev.accumulate(e);
            Timing t = new Timing(evaluate, seconds(b));
            out.printf(Locale.ROOT, "run %d: evaluate %.3f s, accumulate %.3f s, total %.3f s%n", r + 1, t.evaluate(),
                    t.accumulate(), t.total());
            if (best == null || t.total() < best.total()) {
                best = t;
            }
        }
        out.printf(Locale.ROOT, "best of %d (%s, %s threads): evaluate %.3f s, accumulate %.3f s, total %.3f s%n",
                repeat, iouType.cocoName(), threads > 0 ? String.valueOf(threads)
                        : String.valueOf(Runtime.getRuntime().availableProcessors()),
                best.evaluate(), best.accumulate(), best.total());
        result.summaryLines().forEach(out::println);
        return best;
    }

    private static double seconds(long start) {
        return (System.nanoTime() - start) / 1e9;
    }
}
