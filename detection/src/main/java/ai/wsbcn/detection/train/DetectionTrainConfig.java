package ai.wsbcn.detection.train;

import ai.wsbcn.util.AtomicFiles;
import ai.wsbcn.util.InvalidInputException;
import ai.wsbcn.util.SettingsFile;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The settings of a detection training run as a flat key -> value map using the command-line flag names
 * ({@code images-per-batch}, {@code iter-size}, {@code schedule}, {@code lr}, ...). Read from a JSON or YAML file
 * (keys may use '-' or '_'), then overridden by flags; the resolved map is written next to the checkpoints as
 * {@code config.json} so a run can be reproduced or resumed.
 */
public final class DetectionTrainConfig {

    /** Every key a config may hold, with its default (null = no default). */
    public static final Map<String, String> DEFAULTS;

    static {
        Map<String, String> d = new LinkedHashMap<>();
        d.put("data", null);
        d.put("ann", null);
        d.put("val-data", null);
        d.put("val-ann", null);
        d.put("out", null);
        d.put("arch", "mask-rcnn");
        d.put("backbone", "resnet50");
        d.put("norm", "gn+ws");
        d.put("images-per-batch", "1");
        d.put("iter-size", "1");
        d.put("schedule", "1x");
        d.put("iters", "0");
        d.put("lr", null);
        d.put("momentum", "0.9");
        d.put("weight-decay", "0.0001");
        d.put("freeze-at", null);
        d.put("min-size", "800");
        d.put("max-size", "1333");
        d.put("width", "0");
        d.put("stem", "0");
        d.put("fpn-channels", "256");
        d.put("representation-size", "1024");
        d.put("head-channels", "256");
        d.put("anchor-sizes", "32,64,128,256,512");
        d.put("rpn-batch", "256");
        d.put("roi-batch", "512");
        d.put("rpn-post-nms-train", "2000");
        d.put("rpn-post-nms-test", "1000");
        d.put("eval-every", "0");
        d.put("checkpoint-every", "1000");
        d.put("log-every", "20");
        d.put("seed", "0");
        d.put("resume", "false");
        DEFAULTS = Collections.unmodifiableMap(d);
    }

    private final Map<String, String> values;

    private DetectionTrainConfig(Map<String, String> values) {
        this.values = values;
    }

    public static DetectionTrainConfig defaults() {
        return new DetectionTrainConfig(new LinkedHashMap<>(DEFAULTS));
    }

    /** Defaults overlaid by a JSON ({@code .json}) or YAML (any other extension) file ({@link SettingsFile}). */
    public static DetectionTrainConfig load(Path file) {
        DetectionTrainConfig c = defaults();
        SettingsFile.read(file).forEach((key, value) -> c.set(key, value, file.toString()));
        return c;
    }

    /** Sets {@code key} (flag name, '-' or '_'); {@code source} names the file or "flag" in errors. */
    public DetectionTrainConfig set(String key, String value, String source) {
        String k = key.replace('_', '-');
        if (k.startsWith("--")) {
            k = k.substring(2);
        }
        if (!DEFAULTS.containsKey(k)) {
            throw new InvalidInputException(source + ": " + key + ": unknown setting (known: "
                    + String.join(", ", new TreeSet<>(DEFAULTS.keySet())) + ")");
        }
        values.put(k, value);
        return this;
    }

    public String get(String key) {
        return values.get(key);
    }

    public String require(String key) {
        String v = values.get(key);
        if (v == null || v.isEmpty()) {
            throw new InvalidInputException("--" + key + ": required (flag or config file)");
        }
        return v;
    }

    public int getInt(String key) {
        String v = values.get(key);
        try {
            return Integer.parseInt(v.trim());
        } catch (RuntimeException e) {
            throw new InvalidInputException("--" + key + ": expected an integer, got '" + v + "'");
        }
    }

    public float getFloat(String key) {
        String v = values.get(key);
        try {
            return Float.parseFloat(v.trim());
        } catch (RuntimeException e) {
            throw new InvalidInputException("--" + key + ": expected a number, got '" + v + "'");
        }
    }

    public Set<String> keys() {
        return Collections.unmodifiableSet(values.keySet());
    }

    /** Total images per optimizer update. */
    public int totalBatch() {
        return getInt("images-per-batch") * getInt("iter-size");
    }

    /** The base learning rate: explicit, else 0.02 x totalBatch / 16 (the linear scaling rule). */
    public float lr() {
        String v = values.get("lr");
        if (v == null) {
            return 0.02f * totalBatch() / DetectionSchedule.REFERENCE_BATCH;
        }
        float lr = getFloat("lr");
        if (!(lr > 0 && Float.isFinite(lr))) {
            throw new InvalidInputException("--lr: expected a positive number, got '" + v + "'");
        }
        return lr;
    }

    /** {@code resume}: from the command line or a settings file, {@code true} or {@code false}. */
    public boolean resume() {
        String v = values.get("resume");
        if (v == null || v.equalsIgnoreCase("false")) {
            return false;
        }
        if (v.equalsIgnoreCase("true")) {
            return true;
        }
        throw new InvalidInputException("resume: expected true or false in the --config file, got '" + v + "'");
    }

    /** {@code --freeze-at}: explicit, else 2 for frozen BN (stem + stage 1 frozen) and 0 otherwise. */
    public int freezeAt() {
        String v = values.get("freeze-at");
        if (v != null) {
            return getInt("freeze-at");
        }
        return values.get("norm").replace("_", "-").startsWith("frozen") ? 2 : 0;
    }

    public DetectionSchedule schedule() {
        return DetectionSchedule.of(values.get("schedule"), totalBatch(), getInt("iters"));
    }

    /** The settings as JSON; {@code resume} is left out, as it belongs to one invocation, not to the run. */
    public String toJson() {
        JsonObject o = new JsonObject();
        values.forEach((k, v) -> {
            if (!k.equals("resume")) {
                o.addProperty(k, v);
            }
        });
        Gson g = new GsonBuilder().setPrettyPrinting().serializeNulls().create();
        return g.toJson(o);
    }

    public void write(Path file) throws IOException {
        AtomicFiles.writeString(file, toJson() + "\n");
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DetectionTrainConfig c && c.values.equals(values);
    }

    @Override
    public int hashCode() {
        return values.hashCode();
    }
}
