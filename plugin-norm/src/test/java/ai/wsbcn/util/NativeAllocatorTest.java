package ai.wsbcn.util;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.Test;

import java.util.Map;

class NativeAllocatorTest {

    @Test
    void preloadedAllocatorWinsOverGlibcTunables() {
        assertEquals("tcmalloc", NativeAllocator.describe(Map.of("LD_PRELOAD",
                "/usr/lib/x86_64-linux-gnu/libtcmalloc_minimal.so.4", "MALLOC_ARENA_MAX", "2")));
        assertEquals("jemalloc", NativeAllocator.describe(Map.of("LD_PRELOAD", "/opt/x.so:/usr/lib/libjemalloc.so.2")));
    }

    /** Where tcmalloc is installed, the build's tcmalloc profile runs the tests with it, as the launcher runs wsbcn. */
    @Test
    void testJvmRunsWithTheAllocatorTheBuildChose() {
        String expected = System.getProperty("wsbcn.test.allocator");
        assumeTrue(expected != null, "no allocator profile active (tcmalloc not installed)");
        assertEquals(expected, NativeAllocator.describe());
    }

    @Test
    void glibcListsOnlyTheTunablesThatAreSet() {
        assertEquals("glibc malloc", NativeAllocator.describe(Map.of("LD_PRELOAD", "/opt/libfoo.so")));
        assertEquals("glibc malloc (MALLOC_ARENA_MAX=2, MALLOC_TRIM_THRESHOLD_=268435456)",
                NativeAllocator.describe(Map.of("MALLOC_TRIM_THRESHOLD_", "268435456", "MALLOC_ARENA_MAX", "2")));
    }
}
