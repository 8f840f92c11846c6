package ai.wsbcn.pretrained.io;

import ai.wsbcn.util.InvalidInputException;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Ordered rename rules {@code FROM=TO} (FROM a regular expression matched at the start of a key, TO its replacement
 * with {@code $1} groups) applied to checkpoint keys; the first matching rule wins. Built-in rules cover the
 * official WS/BCN releases, whose BCN layers keep their batch part in a {@code bn.} sub-module.
 */
public final class KeyRenames {

    /**
     * The official BCN code's norm layer keeps its batch part in a sub-module: {@code bn} ({@code BCNorm} with
     * {@code EstBN}, the repository's README) or {@code pbn} (its ImageNet and DeepLab code): map it onto ours.
     */
    public static final List<String> OFFICIAL_BCN = List.of(
            "(.*)\\.p?bn\\.weight=$1.batch_weight", "(.*)\\.p?bn\\.bias=$1.batch_bias",
            "(.*)\\.p?bn\\.running_mean=$1.running_mean", "(.*)\\.p?bn\\.running_var=$1.running_var");

    private final List<Map.Entry<Pattern, String>> rules;

    private KeyRenames(List<Map.Entry<Pattern, String>> rules) {
        this.rules = rules;
    }

    /** Parses rules of the form {@code FROM=TO}. */
    public static KeyRenames parse(List<String> specs) {
        List<Map.Entry<Pattern, String>> rules = new ArrayList<>();
        for (String spec : specs) {
            int eq = spec.indexOf('=');
            if (eq <= 0) {
                throw new InvalidInputException("--rename '" + spec + "': expected FROM=TO");
            }
            try {
                rules.add(Map.entry(Pattern.compile("^(?:" + spec.substring(0, eq) + ")"), spec.substring(eq + 1)));
            } catch (PatternSyntaxException e) {
                throw new InvalidInputException("--rename '" + spec + "': " + e.getDescription(), e);
            }
        }
        return new KeyRenames(rules);
    }

    public static KeyRenames none() {
        return new KeyRenames(List.of());
    }

    public String apply(String key) {
        for (Map.Entry<Pattern, String> rule : rules) {
            Matcher m = rule.getKey().matcher(key);
            if (m.find()) {
                return m.replaceFirst(rule.getValue());
            }
        }
        return key;
    }

    /** The state dict with every key renamed (order kept). */
    public <T> Map<String, T> apply(Map<String, T> stateDict) {
        Map<String, T> out = new LinkedHashMap<>();
        stateDict.forEach((k, v) -> out.put(apply(k), v));
        return out;
    }
}
