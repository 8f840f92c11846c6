package ai.wsbcn.norm;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** What {@link NormSwapper} did: counts by kind and the paths it left alone, for logs and tests. */
public final class SwapReport {

    private final Map<String, Integer> counts = new TreeMap<>();
    private final List<String> excluded = new ArrayList<>();
    private final List<String> untouched = new ArrayList<>();

    void count(String kind) {
        counts.merge(kind, 1, Integer::sum);
    }

    void excluded(String path) {
        excluded.add(path);
    }

    void untouched(String path) {
        untouched.add(path);
    }

    /** Counts such as {@code "BatchNorm -> GroupNorm" = 53}, {@code "Conv2d -> WsConv2d" = 53}. */
    public Map<String, Integer> counts() {
        return Collections.unmodifiableMap(counts);
    }

    /** How many times a swap of this kind happened (0 if never). */
    public int count(String from, String to) {
        return counts.getOrDefault(from + " -> " + to, 0);
    }

    /** Paths of blocks kept as they were because the caller excluded them. */
    public List<String> excluded() {
        return Collections.unmodifiableList(excluded);
    }

    /**
     * Paths of composite blocks the swapper cannot rebuild (custom blocks with children); norms inside them were
     * not replaced. Build such models with a {@link NormSpec} directly.
     */
    public List<String> untouched() {
        return Collections.unmodifiableList(untouched);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("swapped: ");
        sb.append(counts.isEmpty() ? "nothing" : counts.toString());
        if (!excluded.isEmpty()) {
            sb.append("; excluded: ").append(excluded);
        }
        if (!untouched.isEmpty()) {
            sb.append("; not rebuilt (custom composite blocks): ").append(untouched);
        }
        return sb.toString();
    }
}
