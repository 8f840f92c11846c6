package ai.wsbcn.util;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A training run's settings file: one flat mapping of setting names to single values, in JSON ({@code .json}) or
 * YAML (any other extension), as detectron2 and mmdetection users keep them. A list of plain values is read as the
 * comma-separated form the flags take ({@code anchor-sizes: [32, 64]} is {@code "32,64"}); a nested mapping is an
 * error naming the file and the key, since the settings are the flags of one command, which are flat. YAML is read
 * with snakeyaml's safe constructor: a file can hold data only, never build objects.
 */
public final class SettingsFile {

    private SettingsFile() {}

    /**
     * The file's settings in file order: key as written, value as text ({@code null} where the file has null). Every
     * failure is an {@link InvalidInputException} naming the file (and the key where one is at fault).
     */
    public static Map<String, String> read(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new InvalidInputException(file + ": settings file not found");
        }
        boolean json = file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".json");
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new InvalidInputException(file + ": cannot read (" + e.getMessage() + ")", e);
        }
        try {
            return json ? fromJson(file, text) : fromYaml(file, text);
        } catch (JsonParseException | YAMLException e) {
            String first = e instanceof JsonParseException ? JsonErrors.describe(e)
                    : String.valueOf(e.getMessage()).lines().findFirst().orElse("");
            throw new InvalidInputException(file + ": not valid " + (json ? "JSON" : "YAML") + " (" + first + ")", e);
        }
    }

    private static Map<String, String> fromJson(Path file, String text) {
        JsonElement root = JsonParser.parseString(text);
        if (!root.isJsonObject()) {
            throw new InvalidInputException(file + ": expected a JSON object of settings");
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<String, JsonElement> e : root.getAsJsonObject().entrySet()) {
            JsonElement v = e.getValue();
            if (v.isJsonNull()) {
                out.put(e.getKey(), null);
            } else if (v.isJsonPrimitive()) {
                out.put(e.getKey(), v.getAsJsonPrimitive().getAsString());
            } else if (v.isJsonArray()) {
                List<Object> items = new ArrayList<>();
                for (JsonElement item : (JsonArray) v) {
                    items.add(item.isJsonPrimitive() ? item.getAsJsonPrimitive().getAsString() : item);
                }
                out.put(e.getKey(), joined(file, e.getKey(), items));
            } else {
                throw notFlat(file, e.getKey());
            }
        }
        return Collections.unmodifiableMap(out);
    }

    private static Map<String, String> fromYaml(Path file, String text) {
        Object root = new Yaml(new SafeConstructor(new LoaderOptions())).load(text);
        if (root == null) {
            return Map.of();
        }
        if (!(root instanceof Map<?, ?> map)) {
            throw new InvalidInputException(file + ": expected a YAML mapping of settings");
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : map.entrySet()) {
            String key = String.valueOf(e.getKey());
            Object v = e.getValue();
            if (v instanceof List<?> list) {
                out.put(key, joined(file, key, list));
            } else if (v instanceof Map<?, ?>) {
                throw notFlat(file, key);
            } else {
                out.put(key, v == null ? null : String.valueOf(v));
            }
        }
        return Collections.unmodifiableMap(out);
    }

    private static String joined(Path file, String key, List<?> items) {
        List<String> parts = new ArrayList<>();
        for (Object item : items) {
            if (item == null || item instanceof Map || item instanceof List || item instanceof JsonElement) {
                throw new InvalidInputException(file + ": " + key + ": a list may hold plain values only");
            }
            parts.add(String.valueOf(item));
        }
        return String.join(",", parts);
    }

    private static InvalidInputException notFlat(Path file, String key) {
        return new InvalidInputException(file + ": " + key
                + ": expected a single value or a list of values (settings are flat: one entry per flag)");
    }
}
