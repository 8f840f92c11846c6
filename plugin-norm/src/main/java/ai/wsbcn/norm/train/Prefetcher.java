package ai.wsbcn.norm.train;

import java.util.NoSuchElementException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.LongFunction;

/**
 * Prepares item {@code i + 1} of a sequence on one background thread while the caller trains on item {@code i}
 * (decoding and augmenting the next micro-batch during the current forward and backward). A failure of the loader
 * reaches the caller of {@link #next} as the loader's own exception (an {@code InvalidInputException} naming a bad
 * file stays one), not wrapped.
 *
 * @param <T> the prepared item
 */
public final class Prefetcher<T> implements AutoCloseable {

    private final ExecutorService thread;
    private LongFunction<T> load;
    private long next;
    private long end;
    private Future<T> pending;

    /** @param threadName the background thread's name (seen in thread dumps and profilers) */
    public Prefetcher(String threadName) {
        thread = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, threadName);
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Starts (or restarts) the sequence of items {@code first .. end - 1}, item {@code i} made by
     * {@code load.apply(i)}; the first starts loading at once. An item still loading from before is discarded.
     */
    public void start(long first, long end, LongFunction<T> load) {
        if (pending != null) {
            pending.cancel(true);
        }
        this.load = load;
        this.next = first;
        this.end = end;
        pending = null;
        prefetch();
    }

    /** The next item, waiting for it if needed; the one after it starts loading. */
    public T next() {
        if (pending == null) {
            throw new NoSuchElementException("no item left: the sequence ends at " + end);
        }
        T item;
        try {
            item = pending.get();
        } catch (ExecutionException e) {
            pending = null;
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException("loading failed: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the next item", e);
        }
        prefetch();
        return item;
    }

    private void prefetch() {
        if (next >= end) {
            pending = null;
            return;
        }
        long index = next++;
        LongFunction<T> f = load;
        pending = thread.submit(() -> f.apply(index));
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }
}
