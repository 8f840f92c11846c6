package ai.wsbcn.segmentation.eval;

import ai.wsbcn.segmentation.data.LabelMap;
import ai.wsbcn.segmentation.data.LabelPng;
import ai.wsbcn.util.InvalidInputException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * Scores a folder of predicted label PNGs against a folder of ground-truth label PNGs ({@code <id>.png} in both; palette
 * or grey PNGs of class indices, 255 = ignore in the ground truth). Every prediction is checked to exist before any
 * decoding starts; images are decoded and counted in parallel, one {@link ConfusionMatrix} per worker.
 */
public final class VocEvaluator {

    private final Path gtDir;
    private final Path predDir;
    private final int numClasses;
    private final List<String> ids;
    private final int parallelism;

    private VocEvaluator(Builder b) {
        this.gtDir = b.gtDir;
        this.predDir = b.predDir;
        this.numClasses = b.numClasses;
        this.ids = b.ids != null ? List.copyOf(b.ids) : listIds(b.gtDir);
        this.parallelism = b.parallelism > 0 ? b.parallelism : Runtime.getRuntime().availableProcessors();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The image ids that will be scored. */
    public List<String> ids() {
        return ids;
    }

    public SegmentationMetrics evaluate() {
        return confusion().metrics();
    }

    /** The summed confusion matrix over all images. */
    public ConfusionMatrix confusion() {
        List<String> missing = new ArrayList<>();
        for (String id : ids) {
            if (!Files.isRegularFile(gtDir.resolve(id + ".png"))) {
                throw new InvalidInputException(gtDir.resolve(id + ".png") + ": ground-truth label not found");
            }
            if (!Files.isRegularFile(predDir.resolve(id + ".png"))) {
                missing.add(id);
            }
        }
        if (!missing.isEmpty()) {
            throw new InvalidInputException(predDir.resolve(missing.get(0) + ".png") + ": prediction missing for"
                    + " ground truth " + gtDir.resolve(missing.get(0) + ".png") + " (" + missing.size() + " of "
                    + ids.size() + " predictions missing" + (missing.size() > 1 ? ", e.g. also "
                    + String.join(", ", missing.subList(1, Math.min(5, missing.size()))) : "") + ")");
        }
        int workers = Math.max(1, Math.min(parallelism, ids.size()));
        ExecutorService pool = Executors.newFixedThreadPool(workers, r -> {
            Thread t = new Thread(r, "voc-eval");
            t.setDaemon(true);
            return t;
        });
        try {
            AtomicInteger next = new AtomicInteger();
            List<Future<ConfusionMatrix>> parts = new ArrayList<>();
            for (int w = 0; w < workers; w++) {
                parts.add(pool.submit(() -> {
                    ConfusionMatrix m = new ConfusionMatrix(numClasses);
                    for (int i = next.getAndIncrement(); i < ids.size(); i = next.getAndIncrement()) {
                        Path g = gtDir.resolve(ids.get(i) + ".png");
                        Path p = predDir.resolve(ids.get(i) + ".png");
                        LabelMap gt = LabelPng.read(g);
                        LabelMap pred = LabelPng.read(p);
                        m.add(gt, pred, g.toString(), p.toString());
                    }
                    return m;
                }));
            }
            ConfusionMatrix total = new ConfusionMatrix(numClasses);
            for (Future<ConfusionMatrix> f : parts) {
                try {
                    total.merge(f.get());
                } catch (java.util.concurrent.ExecutionException e) {
                    if (e.getCause() instanceof RuntimeException re) {
                        throw re;
                    }
                    throw new IllegalStateException(e.getCause());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted", e);
                }
            }
            return total;
        } finally {
            pool.shutdownNow();
        }
    }

    private static List<String> listIds(Path gtDir) {
        try (Stream<Path> s = Files.list(gtDir)) {
            List<String> ids = s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".png"))
                    .map(n -> n.substring(0, n.length() - 4)).sorted().toList();
            if (ids.isEmpty()) {
                throw new InvalidInputException(gtDir + ": no ground-truth .png files");
            }
            return ids;
        } catch (IOException e) {
            throw new InvalidInputException(gtDir + ": cannot list ground-truth folder: " + e.getMessage(), e);
        }
    }

    /** Builder: {@code setGtDir} and {@code setPredDir} are required. */
    public static final class Builder {
        private Path gtDir;
        private Path predDir;
        private int numClasses = 21;
        private List<String> ids;
        private int parallelism;

        public Builder setGtDir(Path gtDir) {
            this.gtDir = gtDir;
            return this;
        }

        public Builder setPredDir(Path predDir) {
            this.predDir = predDir;
            return this;
        }

        /** Number of classes including background (default 21, VOC). */
        public Builder optNumClasses(int numClasses) {
            this.numClasses = numClasses;
            return this;
        }

        /** Score only these ids (default: every {@code .png} in the ground-truth folder). */
        public Builder optIds(List<String> ids) {
            this.ids = ids;
            return this;
        }

        /** Worker threads (default: all cores). */
        public Builder optParallelism(int parallelism) {
            this.parallelism = parallelism;
            return this;
        }

        public VocEvaluator build() {
            if (gtDir == null || predDir == null) {
                throw new InvalidInputException("ground-truth and prediction folders are both required");
            }
            if (!Files.isDirectory(gtDir)) {
                throw new InvalidInputException(gtDir + ": ground-truth folder not found");
            }
            if (!Files.isDirectory(predDir)) {
                throw new InvalidInputException(predDir + ": prediction folder not found");
            }
            if (numClasses < 1 || numClasses > 255) {
                throw new InvalidInputException("--num-classes must be 1..255, got " + numClasses);
            }
            return new VocEvaluator(this);
        }
    }
}
