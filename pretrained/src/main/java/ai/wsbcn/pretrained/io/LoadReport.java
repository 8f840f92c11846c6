package ai.wsbcn.pretrained.io;

import java.util.List;

/**
 * What loading a state dict into a model did: keys the model has that the file lacks, keys the file has that the
 * model lacks, and keys present in both with different shapes (never loaded).
 */
public record LoadReport(int loaded, List<String> missing, List<String> unexpected, List<String> shapeMismatches) {

    public boolean isComplete() {
        return missing.isEmpty() && unexpected.isEmpty() && shapeMismatches.isEmpty();
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("loaded " + loaded + " tensors");
        append(sb, "missing in the file", missing);
        append(sb, "not in the model", unexpected);
        append(sb, "shape mismatch", shapeMismatches);
        return sb.toString();
    }

    private static void append(StringBuilder sb, String what, List<String> keys) {
        if (!keys.isEmpty()) {
            sb.append("; ").append(what).append(" (").append(keys.size()).append("): ")
                    .append(String.join(", ", keys.subList(0, Math.min(12, keys.size()))))
                    .append(keys.size() > 12 ? ", ..." : "");
        }
    }
}
