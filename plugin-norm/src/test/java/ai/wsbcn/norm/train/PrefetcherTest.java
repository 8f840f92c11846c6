package ai.wsbcn.norm.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import java.util.NoSuchElementException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

class PrefetcherTest {

    @Test
    void itemsComeInOrderAndTheNextLoadsWhileTheCallerWorks() throws Exception {
        CountDownLatch thirdStarted = new CountDownLatch(1);
        try (Prefetcher<String> p = new Prefetcher<>("test-loader")) {
            p.start(1, 4, i -> {
                if (i == 3) {
                    thirdStarted.countDown();
                }
                return Thread.currentThread().getName() + ":" + i;
            });
            assertEquals("test-loader:1", p.next());
            assertEquals("test-loader:2", p.next());
            // nothing more asked for: item 3 loads in the background all the same
            assertTrue(thirdStarted.await(10, TimeUnit.SECONDS), "item 3 was not prefetched");
            assertEquals("test-loader:3", p.next());
            assertThrows(NoSuchElementException.class, p::next);
            p.start(7, 8, i -> "again:" + i);
            assertEquals("again:7", p.next());
        }
    }

    @Test
    void aLoadersExceptionReachesTheCallerUnwrapped() {
        IllegalArgumentException bad = new IllegalArgumentException("frames/clip_0042/00003.jpg: cannot decode");
        try (Prefetcher<Integer> p = new Prefetcher<>("test-loader")) {
            p.start(0, 10, i -> {
                if (i == 1) {
                    throw bad;
                }
                return (int) i;
            });
            assertEquals(0, p.next());
            assertSame(bad, assertThrows(IllegalArgumentException.class, p::next));
        }
    }
}
