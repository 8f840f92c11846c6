package ai.wsbcn.video.data;

import ai.wsbcn.util.InvalidInputException;
import ai.wsbcn.util.JsonErrors;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Something-Something V2's official annotations, with frames extracted as the TSM code's {@code vid2img_sthv2.py}
 * does:
 *
 * <pre>
 * ROOT/something-something-v2-labels.json       {"Approaching something with your camera": "0", ...}
 * ROOT/something-something-v2-train.json        [{"id": "78687", "label": "...", "template": "Holding [something] ...",
 * ROOT/something-something-v2-validation.json     "placeholders": [...]}, ...]
 * ROOT/20bn-something-something-v2-frames/&lt;id&gt;/000001.jpg ...   (or ROOT/&lt;id&gt;/ directly)
 * </pre>
 *
 * The class list is the labels file's names ordered by their ids, which must be 0..n-1 (TSM's
 * {@code gen_label_sthv2.py} asserts the same, so a model's class indices match TSM's {@code category.txt}); a video's
 * class is its {@code template} with the brackets removed, as TSM does (a labels file written with brackets is read
 * without them too). The test split has no templates, so it
 * cannot be evaluated: an entry without one is an error naming the file, entry and video.
 */
public final class SomethingSomethingV2 {

    public static final String LABELS_FILE = "something-something-v2-labels.json";
    public static final String FRAMES_DIR = "20bn-something-something-v2-frames";

    private SomethingSomethingV2() {}

    /** The split's annotation file name, e.g. {@code something-something-v2-validation.json}. */
    public static String fileName(SomethingSomething.Split split) {
        return split.fileName().replace("-v1-", "-v2-").replace(".csv", ".json");
    }

    /** The class names of a labels file ({@code {"name": "id", ...}}), ordered by id. */
    public static List<String> readLabels(Path file) {
        JsonElement json = parse(file, "labels file");
        if (!json.isJsonObject() || json.getAsJsonObject().size() == 0) {
            throw new InvalidInputException(file + ": expected an object of class name -> id, e.g."
                    + " {\"Holding something\": \"0\"}");
        }
        JsonObject o = json.getAsJsonObject();
        String[] names = new String[o.size()];
        for (Map.Entry<String, JsonElement> e : o.entrySet()) {
            int id = classId(e.getValue());
            if (id < 0 || id >= names.length) {
                throw new InvalidInputException(file + ": class '" + e.getKey() + "' has id " + e.getValue()
                        + "; ids must be 0.." + (names.length - 1));
            }
            if (names[id] != null) {
                throw new InvalidInputException(file + ": classes '" + names[id] + "' and '" + e.getKey()
                        + "' have the same id " + id);
            }
            names[id] = withoutBrackets(e.getKey());
        }
        return Arrays.asList(names);
    }

    /** A split file: a JSON array of {@code {"id", "template", ...}} entries, resolved against {@code classes}. */
    public static VideoList readSplit(Path file, List<String> classes, Path frameRoot, String template) {
        JsonElement json = parse(file, "split file");
        if (!json.isJsonArray()) {
            throw new InvalidInputException(file + ": expected an array of {\"id\": ..., \"template\": ...} entries");
        }
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < classes.size(); i++) {
            index.put(classes.get(i), i);
        }
        JsonArray entries = json.getAsJsonArray();
        SplitCollector split = new SplitCollector(file, frameRoot, template, "entry");
        for (int i = 0; i < entries.size(); i++) {
            JsonObject e = entries.get(i).isJsonObject() ? entries.get(i).getAsJsonObject() : null;
            String id = e == null ? null : text(e.get("id"));
            if (id == null || id.isBlank()) {
                throw new InvalidInputException(split.where(i + 1) + ": expected {\"id\": ..., \"template\": ...}, got "
                        + entries.get(i));
            }
            String templ = text(e.get("template"));
            if (templ == null) {
                throw new InvalidInputException(split.where(i + 1) + " (video " + id + "): no \"template\", so no"
                        + " class (the official test split has none; only train and validation can be used)");
            }
            String name = withoutBrackets(templ);
            Integer label = index.get(name);
            if (label == null) {
                throw new InvalidInputException(split.where(i + 1) + " (video " + id + "): class '" + name
                        + "' is not in the labels file (" + classes.size() + " classes)");
            }
            split.add(i + 1, id.strip(), label);
        }
        return split.build(classes);
    }

    private static JsonElement parse(Path file, String what) {
        if (!Files.isRegularFile(file)) {
            throw new InvalidInputException(file + ": " + what + " not found");
        }
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            r.mark(1);
            if (r.read() != '\uFEFF') { // a byte-order mark from a Windows editor is not JSON, but harmless
                r.reset();
            }
            return JsonParser.parseReader(r);
        } catch (IOException | JsonParseException e) {
            throw new InvalidInputException(file + ": cannot read " + what + " (" + JsonErrors.describe(e) + ")", e);
        }
    }

    /** "Holding [something]" -> "Holding something": the official labels file has no brackets, the splits do. */
    private static String withoutBrackets(String template) {
        return template.replace("[", "").replace("]", "").strip();
    }

    /** The labels file writes ids as strings ("12"); numbers are taken too. -1 when neither. */
    private static int classId(JsonElement v) {
        String s = text(v);
        try {
            return s == null ? -1 : Integer.parseInt(s.strip());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** A string or number as text; {@code null} for anything else. */
    private static String text(JsonElement v) {
        if (v instanceof JsonPrimitive p && (p.isString() || p.isNumber())) {
            return p.getAsString();
        }
        return null;
    }
}
