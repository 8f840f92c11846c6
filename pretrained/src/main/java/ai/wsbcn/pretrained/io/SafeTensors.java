package ai.wsbcn.pretrained.io;

import ai.wsbcn.util.JsonErrors;
import ai.wsbcn.util.AtomicFiles;
import ai.wsbcn.util.InvalidInputException;
import com.google.gson.Gson;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** The safetensors format: an 8-byte little-endian header length, a JSON header, then the raw tensor bytes. */
public final class SafeTensors {

    private static final Map<String, TensorData.Type> TYPES = Map.of("F32", TensorData.Type.FLOAT32, "F64",
            TensorData.Type.FLOAT64, "F16", TensorData.Type.FLOAT16, "BF16", TensorData.Type.BFLOAT16, "I64",
            TensorData.Type.INT64, "I32", TensorData.Type.INT32, "I16", TensorData.Type.INT16, "I8",
            TensorData.Type.INT8, "U8", TensorData.Type.UINT8, "BOOL", TensorData.Type.BOOL);

    private SafeTensors() {}

    public static Map<String, TensorData> read(Path file) throws IOException {
        ByteBuffer all = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        if (all.capacity() < 8) {
            throw new InvalidInputException(file + ": too short for a safetensors file");
        }
        long headerLen = all.getLong();
        if (headerLen <= 0 || headerLen > all.capacity() - 8) {
            throw new InvalidInputException(file + ": bad safetensors header length " + headerLen);
        }
        byte[] json = new byte[(int) headerLen];
        all.get(json);
        int dataStart = 8 + (int) headerLen;
        JsonObject header;
        try {
            header = new Gson().fromJson(new String(json, StandardCharsets.UTF_8), JsonObject.class);
        } catch (JsonParseException e) {
            throw new InvalidInputException(file + ": safetensors header is not JSON: " + JsonErrors.describe(e), e);
        }
        Map<String, TensorData> out = new LinkedHashMap<>();
        for (Map.Entry<String, JsonElement> e : header.entrySet()) {
            if (e.getKey().equals("__metadata__")) {
                continue;
            }
            JsonObject t = e.getValue().getAsJsonObject();
            TensorData.Type type = TYPES.get(t.get("dtype").getAsString());
            if (type == null) {
                throw new InvalidInputException(file + ": " + e.getKey() + ": unsupported dtype " + t.get("dtype"));
            }
            JsonArray shapeJson = t.getAsJsonArray("shape");
            long[] shape = new long[shapeJson.size()];
            for (int i = 0; i < shape.length; i++) {
                shape[i] = shapeJson.get(i).getAsLong();
            }
            JsonArray off = t.getAsJsonArray("data_offsets");
            long begin = off.get(0).getAsLong();
            long end = off.get(1).getAsLong();
            if (begin < 0 || end < begin || dataStart + end > all.capacity()) {
                throw new InvalidInputException(file + ": " + e.getKey() + ": data_offsets " + off + " out of range");
            }
            ByteBuffer slice = all.duplicate().position((int) (dataStart + begin)).limit((int) (dataStart + end))
                    .slice();
            out.put(e.getKey(), new TensorData(type, shape, slice));
        }
        return out;
    }

    /** Writes {@code tensors} atomically. */
    public static void write(Path file, Map<String, TensorData> tensors, Map<String, String> metadata)
            throws IOException {
        JsonObject header = new JsonObject();
        if (!metadata.isEmpty()) {
            JsonObject meta = new JsonObject();
            metadata.forEach(meta::addProperty);
            header.add("__metadata__", meta);
        }
        long offset = 0;
        for (Map.Entry<String, TensorData> e : tensors.entrySet()) {
            JsonObject t = new JsonObject();
            String dtype = TYPES.entrySet().stream().filter(x -> x.getValue() == e.getValue().type()).findFirst()
                    .orElseThrow().getKey();
            t.addProperty("dtype", dtype);
            JsonArray shape = new JsonArray();
            for (long d : e.getValue().shape()) {
                shape.add(d);
            }
            t.add("shape", shape);
            long len = e.getValue().numel() * e.getValue().type().bytes();
            JsonArray off = new JsonArray();
            off.add(offset);
            off.add(offset + len);
            t.add("data_offsets", off);
            header.add(e.getKey(), t);
            offset += len;
        }
        byte[] json = header.toString().getBytes(StandardCharsets.UTF_8);
        int pad = (8 - json.length % 8) % 8;
        byte[] padded = new byte[json.length + pad];
        System.arraycopy(json, 0, padded, 0, json.length);
        java.util.Arrays.fill(padded, json.length, padded.length, (byte) ' ');
        AtomicFiles.write(file, out -> {
            out.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(padded.length).array());
            out.write(padded);
            for (TensorData t : tensors.values()) {
                ByteBuffer b = t.bytes();
                byte[] bytes = new byte[b.remaining()];
                b.get(bytes);
                out.write(bytes);
            }
        });
    }
}
