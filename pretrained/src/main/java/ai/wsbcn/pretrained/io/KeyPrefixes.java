package ai.wsbcn.pretrained.io;

import ai.wsbcn.util.InvalidInputException;

import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Finds the prefix under which a checkpoint keeps a model's tensors, for error messages: TSM saves
 * {@code module.base_model.layer1...}, mmdet and mmcls {@code backbone.layer1...}, torchvision's detectors
 * {@code backbone.body.layer1...}. Suggesting the rename that strips it is the step a user needs next.
 */
public final class KeyPrefixes {

    private KeyPrefixes() {}

    /**
     * The prefix P for which {@code P + name} is a file key for the most model names (at least half of them), if
     * any: the file's tensors are the model's under another parent.
     */
    public static Optional<String> dominant(Collection<String> fileKeys, Collection<String> modelNames) {
        Set<String> names = Set.copyOf(modelNames);
        Map<String, Integer> counts = new HashMap<>();
        for (String k : fileKeys) {
            for (int dot = k.indexOf('.'); dot > 0; dot = k.indexOf('.', dot + 1)) {
                if (names.contains(k.substring(dot + 1))) {
                    counts.merge(k.substring(0, dot + 1), 1, Integer::sum);
                }
            }
        }
        return counts.entrySet().stream().filter(e -> 2 * e.getValue() >= names.size())
                .max(Map.Entry.comparingByValue()).map(Map.Entry::getKey);
    }

    /**
     * The tensors of {@code stateDict} whose key starts with {@code prefix}, with the prefix removed, as mmcv's
     * {@code _load_checkpoint_with_prefix} selects a detector's {@code backbone.}: the neck and heads of a whole
     * detector checkpoint are left out instead of being reported as tensors the backbone does not have.
     *
     * @throws InvalidInputException naming {@code source} and the file's top-level names when no key has the prefix
     */
    public static <T> Map<String, T> select(Map<String, T> stateDict, String prefix, String source) {
        Map<String, T> out = new LinkedHashMap<>();
        Set<String> tops = new TreeSet<>();
        stateDict.forEach((k, v) -> {
            if (k.startsWith(prefix) && k.length() > prefix.length()) {
                out.put(k.substring(prefix.length()), v);
            }
            int dot = k.indexOf('.');
            tops.add(dot > 0 ? k.substring(0, dot + 1) : k);
        });
        if (out.isEmpty()) {
            throw new InvalidInputException(source + ": --prefix '" + prefix + "': no tensor under it; the file's"
                    + " top-level names are " + String.join(", ", tops));
        }
        return out;
    }

    /** A {@code --rename} rule that strips {@code prefix}, quoted for a shell. */
    public static String stripRule(String prefix) {
        return "'" + prefix.replace(".", "\\.") + "='";
    }
}
