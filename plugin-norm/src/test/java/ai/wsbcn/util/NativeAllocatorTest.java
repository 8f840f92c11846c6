package ai.wsbcn.util;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

import java.util.Map;

class NativeAllocatorTest {

    @Test
    void preloadedAllocatorWinsOverGlibcTunables() {
        assertEquals("tcmalloc", NativeAllocator.describe(Map.of("LD_PRELOAD",
                "/usr/lib/x86_64-linux-gnu/libtcmalloc_minimal.so.4", "MALLOC_ARENA_MAX", "2")));
        assertEquals("jemalloc", NativeAllocator.describe(Map.of("LD_PRELOAD", "/opt/x.so:/usr/lib/libjemalloc.so.2")));
    }

    @Test
    void glibcListsOnlyTheTunablesThatAreSet() {
        assertEquals("glibc malloc", NativeAllocator.describe(Map.of("LD_PRELOAD", "/opt/libfoo.so")));
        assertEquals("glibc malloc (MALLOC_ARENA_MAX=2, MALLOC_TRIM_THRESHOLD_=268435456)",
                NativeAllocator.describe(Map.of("MALLOC_TRIM_THRESHOLD_", "268435456", "MALLOC_ARENA_MAX", "2")));
    }
}
