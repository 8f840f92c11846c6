package ai.wsbcn.pretrained.backbone;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.FloatBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * torchvision state_dict listings (test resources {@code reference/backbone/torchvision_<arch>.json}, written by
 * {@code torchvision_listing.py}) and the deterministic weight formula of {@code backbone_reference.py}.
 */
final class TorchvisionListing {

    private TorchvisionListing() {}

    /** Name -> shape, in state_dict order (num_batches_tracked excluded). */
    static Map<String, Shape> load(String arch) {
        String resource = "/reference/backbone/torchvision_" + arch + ".json";
        try (InputStream in = TorchvisionListing.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalArgumentException("missing test resource " + resource);
            }
            JsonObject root = JsonParser.parseReader(new InputStreamReader(in, StandardCharsets.UTF_8))
                    .getAsJsonObject();
            Map<String, Shape> out = new LinkedHashMap<>();
            for (JsonElement e : root.getAsJsonArray("parameters")) {
                JsonArray entry = e.getAsJsonArray();
                JsonArray dims = entry.get(1).getAsJsonArray();
                long[] shape = new long[dims.size()];
                for (int i = 0; i < shape.length; i++) {
                    shape[i] = dims.get(i).getAsLong();
                }
                out.put(entry.get(0).getAsString(), new Shape(shape));
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Our parameters' names and shapes (the model must be initialised). */
    static Map<String, Shape> shapes(Map<String, Parameter> params) {
        Map<String, Shape> out = new LinkedHashMap<>();
        params.forEach((k, v) -> out.put(k, v.getArray().getShape()));
        return out;
    }

    /**
     * Fills every parameter with backbone_reference.py's formula for its position {@code p} in the torchvision
     * listing: {@code base = sin(0.7 i + 1.3 p)} over the flat index i, scaled by the kind of tensor.
     */
    static void fillWithFormula(Map<String, Parameter> params, Map<String, Shape> listing) {
        int p = 0;
        for (Map.Entry<String, Shape> e : listing.entrySet()) {
            Parameter param = params.get(e.getKey());
            int position = p++;
            if (param == null) {
                continue; // e.g. fc in a feature extractor
            }
            NDArray a = param.getArray();
            a.set(FloatBuffer.wrap(formula(e.getKey(), e.getValue(), position)));
        }
    }

    static float[] formula(String name, Shape shape, int p) {
        int n = Math.toIntExact(shape.size());
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            double base = Math.sin(0.7 * i + 1.3 * p);
            double x;
            if (name.endsWith("running_var")) {
                x = 1 + 0.5 * base * base;
            } else if (name.endsWith("running_mean")) {
                x = 0.1 * base;
            } else if (shape.dimension() == 4) {
                x = base * 2 / Math.sqrt(shape.size() / shape.get(0));
            } else if (shape.dimension() == 2) {
                x = base / Math.sqrt(shape.get(1));
            } else if (name.endsWith("weight")) {
                x = 0.5 + 0.1 * base;
            } else {
                x = 0.1 * base;
            }
            v[i] = (float) x;
        }
        return v;
    }
}
