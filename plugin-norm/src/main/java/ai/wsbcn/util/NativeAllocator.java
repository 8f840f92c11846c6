package ai.wsbcn.util;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Names the native memory allocator the process runs with, for benchmark headers and bug reports: step times and
 * peak RSS of the PyTorch engine depend on it more than on most code changes (README, "Memory allocator").
 */
public final class NativeAllocator {

    private static final List<String> GLIBC_VARIABLES = List.of("MALLOC_ARENA_MAX", "MALLOC_MMAP_THRESHOLD_",
            "MALLOC_TRIM_THRESHOLD_", "MALLOC_TOP_PAD_");

    private NativeAllocator() {}

    /** The allocator of this process, e.g. {@code tcmalloc} or {@code glibc malloc (MALLOC_ARENA_MAX=2)}. */
    public static String describe() {
        return describe(System.getenv());
    }

    /** The allocator an environment selects: a preloaded tcmalloc or jemalloc, else glibc with its tunables. */
    static String describe(Map<String, String> env) {
        String preload = env.getOrDefault("LD_PRELOAD", "");
        for (String lib : preload.split("[: ]")) {
            String name = lib.substring(lib.lastIndexOf('/') + 1);
            if (name.startsWith("libtcmalloc")) {
                return "tcmalloc";
            }
            if (name.startsWith("libjemalloc")) {
                return "jemalloc";
            }
        }
        List<String> set = new ArrayList<>();
        for (String v : GLIBC_VARIABLES) {
            if (env.get(v) != null) {
                set.add(v + "=" + env.get(v));
            }
        }
        return set.isEmpty() ? "glibc malloc" : "glibc malloc (" + String.join(", ", set) + ")";
    }
}
