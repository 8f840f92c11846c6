package ai.wsbcn.video.train;

import ai.wsbcn.video.data.VideoClipDataset;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.IntStream;

/**
 * Decodes the next micro-batch of clips on a background thread while the current one trains: micro-batch {@code k}
 * of an epoch is the clips {@code perm[k * clipsPerBatch ..]}, flattened into one float array.
 */
final class ClipPrefetcher implements AutoCloseable {

    private final VideoClipDataset clips;
    private final int clipsPerBatch;
    private final int clipLength;
    private final ExecutorService loader = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "video-train-loader");
        t.setDaemon(true);
        return t;
    });
    private int[] perm;
    private int epoch;
    private int end;
    private int next;
    private CompletableFuture<float[]> pending;

    ClipPrefetcher(VideoClipDataset clips, int clipsPerBatch) {
        this.clips = clips;
        this.clipsPerBatch = clipsPerBatch;
        this.clipLength = Math.toIntExact(clips.clipShape().size());
    }

    /** Starts an epoch's micro-batches {@code first..end-1} in the order of {@code perm}. */
    void startEpoch(int[] perm, int epoch, int first, int end) {
        this.perm = perm;
        this.epoch = epoch;
        this.end = end;
        this.next = first;
        pending = null;
        prefetch();
    }

    /** The next micro-batch (waiting for it if needed); the one after it starts loading. */
    float[] next() {
        if (pending == null) {
            throw new IllegalStateException("no micro-batch left in this epoch");
        }
        float[] x = pending.join();
        prefetch();
        return x;
    }

    private void prefetch() {
        if (next >= end) {
            pending = null;
            return;
        }
        final int micro = next++;
        final int[] order = perm;
        final int ep = epoch;
        pending = CompletableFuture.supplyAsync(() -> load(order, micro, ep), loader);
    }

    private float[] load(int[] order, int micro, int ep) {
        float[] x = new float[clipsPerBatch * clipLength];
        IntStream.range(0, clipsPerBatch).parallel().forEach(i -> System.arraycopy(
                clips.sample(order[micro * clipsPerBatch + i], ep), 0, x, i * clipLength, clipLength));
        return x;
    }

    @Override
    public void close() {
        loader.shutdownNow();
    }
}
