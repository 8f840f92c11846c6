package ai.wsbcn.video.eval;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.wsbcn.video.data.VideoClipDataset;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.IntConsumer;
import java.util.stream.IntStream;

/**
 * Runs a clip classifier over a data set in inference mode (centre frames and test transform come from the data
 * set) and accumulates {@link TopKAccuracy}. The next batch is decoded on a background thread while the network
 * runs on the current one.
 */
public final class VideoEvaluator {

    private VideoEvaluator() {}

    /**
     * Evaluates {@code net} (clips {@code (N, T, 3, S, S)} to scores {@code (N, classes)}) on all of {@code data};
     * {@code progress} receives the number of clips done (may be {@code null}).
     */
    public static TopKAccuracy evaluate(Block net, NDManager manager, VideoClipDataset data, int batchSize,
            IntConsumer progress) {
        // top-5 whatever the class count (100 % with 5 classes or fewer): the figure keeps its name in the printed
        // line, the JSON and eval_log.csv, whose column is "top5"
        TopKAccuracy acc = new TopKAccuracy(data.list().classes());
        int n = Math.toIntExact(data.size());
        Shape clip = data.clipShape();
        ExecutorService loader = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "video-eval-loader");
            t.setDaemon(true);
            return t;
        });
        try {
            CompletableFuture<float[]> next = CompletableFuture.supplyAsync(() -> load(data, 0, batchSize, n), loader);
            for (int start = 0; start < n; start += batchSize) {
                int b = Math.min(batchSize, n - start);
                float[] x = next.join();
                int nextStart = start + batchSize;
                if (nextStart < n) {
                    next = CompletableFuture.supplyAsync(() -> load(data, nextStart, batchSize, n), loader);
                }
                int[] labels = new int[b];
                for (int i = 0; i < b; i++) {
                    labels[i] = data.label(start + i);
                }
                try (NDManager sub = manager.newSubManager()) {
                    NDArray input = sub.create(x, new Shape(b).addAll(clip));
                    NDArray scores = net.forward(new ParameterStore(sub, false), new NDList(input), false)
                            .singletonOrThrow();
                    acc.addBatch(scores.toFloatArray(), labels);
                }
                if (progress != null) {
                    progress.accept(start + b);
                }
            }
        } finally {
            loader.shutdownNow();
        }
        return acc;
    }

    private static float[] load(VideoClipDataset data, int start, int batchSize, int n) {
        int b = Math.min(batchSize, n - start);
        int clipLen = Math.toIntExact(data.clipShape().size());
        float[] x = new float[b * clipLen];
        IntStream.range(0, b).parallel().forEach(i -> System.arraycopy(data.sample(start + i, 0), 0, x,
                i * clipLen, clipLen));
        return x;
    }
}
