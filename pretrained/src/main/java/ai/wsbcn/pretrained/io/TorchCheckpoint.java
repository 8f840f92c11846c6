package ai.wsbcn.pretrained.io;

import ai.wsbcn.util.InvalidInputException;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Reads PyTorch {@code .pth}/{@code .pt} checkpoints without Python and without executing them: the zip format of
 * torch >= 1.6 ({@code <name>/data.pkl} plus one file per storage) and the legacy format (a sequence of pickles
 * followed by the raw storages), through {@link RestrictedUnpickler}. Returns the state dict: tensor names to
 * tensors, unwrapped from {@code {"state_dict": ...}} / {@code {"model": ...}} wrappers, with a {@code module.}
 * prefix (DataParallel) removed, non-tensor entries (epoch, optimizer scalars) dropped.
 */
public final class TorchCheckpoint {

    private record StorageRef(TensorData.Type type, String key, long viewOffset) {}

    private TorchCheckpoint() {}

    /** The tensors of {@code file}, in file order. */
    public static Map<String, TensorData> read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new InvalidInputException(file + ": no such checkpoint file");
        }
        byte[] head = new byte[2];
        try (InputStream in = Files.newInputStream(file)) {
            if (in.readNBytes(head, 0, 2) < 2) {
                throw new InvalidInputException(file + ": empty or truncated checkpoint");
            }
        }
        return head[0] == 'P' && head[1] == 'K' ? readZip(file) : readLegacy(file);
    }

    private static Map<String, TensorData> readZip(Path file) throws IOException {
        try (ZipFile zip = new ZipFile(file.toFile())) {
            ZipEntry pkl = zip.stream().filter(e -> e.getName().endsWith("data.pkl")).findFirst()
                    .orElseThrow(() -> new InvalidInputException(file + ": a zip file without data.pkl is not a"
                            + " PyTorch checkpoint"));
            String prefix = pkl.getName().substring(0, pkl.getName().length() - "data.pkl".length());
            Object root;
            try (InputStream in = new BufferedInputStream(zip.getInputStream(pkl))) {
                root = new RestrictedUnpickler(in, file.toString(), TorchCheckpoint::storageRef).load();
            }
            Map<String, ByteBuffer> storages = new HashMap<>();
            return tensors(file, root, ref -> storages.computeIfAbsent(ref.key(), k -> {
                ZipEntry e = zip.getEntry(prefix + "data/" + k);
                if (e == null) {
                    throw new InvalidInputException(file + ": storage " + k + " is missing from the archive");
                }
                try (InputStream in = zip.getInputStream(e)) {
                    return ByteBuffer.wrap(in.readAllBytes()).order(ByteOrder.LITTLE_ENDIAN);
                } catch (IOException ex) {
                    throw new InvalidInputException(file + ": cannot read storage " + k + ": " + ex.getMessage(), ex);
                }
            }));
        }
    }

    private static Map<String, TensorData> readLegacy(Path file) throws IOException {
        byte[] all = Files.readAllBytes(file);
        ByteArrayInputStream in = new ByteArrayInputStream(all);
        String src = file.toString();
        try {
            new RestrictedUnpickler(in, src, pid -> pid).load(); // magic number
            new RestrictedUnpickler(in, src, pid -> pid).load(); // protocol version
            new RestrictedUnpickler(in, src, pid -> pid).load(); // sys info
        } catch (IOException | RuntimeException e) {
            if (e instanceof InvalidInputException && e.getMessage().contains("refused")) {
                throw e;
            }
            throw new InvalidInputException(src + ": not a PyTorch checkpoint (" + e.getMessage() + ")", e);
        }
        Object root = new RestrictedUnpickler(in, src, TorchCheckpoint::storageRef).load();
        Object keys = new RestrictedUnpickler(in, src, pid -> pid).load();
        Map<String, ByteBuffer> storages = new HashMap<>();
        Map<String, TensorData.Type> types = new HashMap<>();
        collectTypes(root, types);
        for (Object k : (List<?>) keys) {
            String key = String.valueOf(k);
            byte[] n = in.readNBytes(8);
            long numel = ByteBuffer.wrap(n).order(ByteOrder.LITTLE_ENDIAN).getLong();
            TensorData.Type type = types.getOrDefault(key, TensorData.Type.FLOAT32);
            byte[] data = in.readNBytes(Math.toIntExact(numel * type.bytes()));
            if (data.length != numel * type.bytes()) {
                throw new InvalidInputException(src + ": truncated storage " + key);
            }
            storages.put(key, ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN));
        }
        return tensors(file, root, ref -> {
            ByteBuffer b = storages.get(ref.key());
            if (b == null) {
                throw new InvalidInputException(src + ": storage " + ref.key() + " is missing");
            }
            return b;
        });
    }

    private static void collectTypes(Object o, Map<String, TensorData.Type> types) {
        if (o instanceof RestrictedUnpickler.TensorRef) {
            StorageRef s = (StorageRef) ((RestrictedUnpickler.TensorRef) o).storage();
            types.put(s.key(), s.type());
        } else if (o instanceof Map) {
            ((Map<?, ?>) o).values().forEach(v -> collectTypes(v, types));
        } else if (o instanceof List) {
            ((List<?>) o).forEach(v -> collectTypes(v, types));
        }
    }

    /** PyTorch's persistent id: ('storage', StorageType, key, location, numel[, view_metadata]). */
    private static Object storageRef(Object pid) {
        if (!(pid instanceof RestrictedUnpickler.Tuple) || ((RestrictedUnpickler.Tuple) pid).size() < 5
                || !"storage".equals(((RestrictedUnpickler.Tuple) pid).get(0))) {
            throw new InvalidInputException("unsupported persistent id in checkpoint: " + pid);
        }
        RestrictedUnpickler.Tuple t = (RestrictedUnpickler.Tuple) pid;
        Object type = t.get(1);
        String name = type instanceof RestrictedUnpickler.Global ? ((RestrictedUnpickler.Global) type).name()
                : String.valueOf(type);
        long viewOffset = 0;
        String key = String.valueOf(t.get(2));
        if (t.size() > 5 && t.get(5) instanceof RestrictedUnpickler.Tuple) {
            RestrictedUnpickler.Tuple view = (RestrictedUnpickler.Tuple) t.get(5);
            key = String.valueOf(view.get(0));
            viewOffset = ((Number) view.get(1)).longValue();
        }
        return new StorageRef(storageType(name), key, viewOffset);
    }

    private static TensorData.Type storageType(String name) {
        switch (name) {
            case "FloatStorage":
            case "float32":
                return TensorData.Type.FLOAT32;
            case "DoubleStorage":
            case "float64":
                return TensorData.Type.FLOAT64;
            case "HalfStorage":
            case "float16":
                return TensorData.Type.FLOAT16;
            case "BFloat16Storage":
            case "bfloat16":
                return TensorData.Type.BFLOAT16;
            case "LongStorage":
            case "int64":
                return TensorData.Type.INT64;
            case "IntStorage":
            case "int32":
                return TensorData.Type.INT32;
            case "ShortStorage":
                return TensorData.Type.INT16;
            case "CharStorage":
                return TensorData.Type.INT8;
            case "ByteStorage":
            case "uint8":
                return TensorData.Type.UINT8;
            case "BoolStorage":
            case "bool":
                return TensorData.Type.BOOL;
            default:
                throw new InvalidInputException("unsupported storage type in checkpoint: " + name);
        }
    }

    private interface StorageSource {
        ByteBuffer bytes(StorageRef ref);
    }

    private static Map<String, TensorData> tensors(Path file, Object root, StorageSource storages) {
        Object dict = root;
        if (dict instanceof Map) {
            Map<?, ?> m = (Map<?, ?>) dict;
            for (String wrapper : new String[] {"state_dict", "model", "model_state"}) {
                if (m.get(wrapper) instanceof Map) {
                    dict = m.get(wrapper);
                    break;
                }
            }
        }
        if (!(dict instanceof Map)) {
            throw new InvalidInputException(file + ": the checkpoint holds a " + (dict == null ? "None"
                    : dict.getClass().getSimpleName()) + ", not a state dict");
        }
        Map<String, TensorData> out = new LinkedHashMap<>();
        flatten("", (Map<?, ?>) dict, out, storages);
        if (out.isEmpty()) {
            throw new InvalidInputException(file + ": the checkpoint holds no tensors");
        }
        boolean allModule = out.keySet().stream().allMatch(k -> k.startsWith("module."));
        if (allModule) {
            Map<String, TensorData> stripped = new LinkedHashMap<>();
            out.forEach((k, v) -> stripped.put(k.substring("module.".length()), v));
            return stripped;
        }
        return out;
    }

    private static void flatten(String prefix, Map<?, ?> map, Map<String, TensorData> out, StorageSource storages) {
        for (Map.Entry<?, ?> e : map.entrySet()) {
            String name = prefix + e.getKey();
            Object v = e.getValue();
            if (v instanceof RestrictedUnpickler.TensorRef) {
                out.put(name, materialise((RestrictedUnpickler.TensorRef) v, storages));
            } else if (v instanceof Map) {
                flatten(name + ".", (Map<?, ?>) v, out, storages);
            }
        }
    }

    /** Copies the strided view into a contiguous tensor. */
    private static TensorData materialise(RestrictedUnpickler.TensorRef t, StorageSource storages) {
        StorageRef ref = (StorageRef) t.storage();
        ByteBuffer src = storages.bytes(ref);
        int elem = ref.type().bytes();
        long[] size = t.size();
        long[] stride = t.stride();
        long numel = 1;
        for (long d : size) {
            numel *= d;
        }
        ByteBuffer dst = ByteBuffer.allocate(Math.toIntExact(numel * elem)).order(ByteOrder.LITTLE_ENDIAN);
        long[] idx = new long[size.length];
        for (long i = 0; i < numel; i++) {
            long off = ref.viewOffset() + t.offset();
            for (int d = 0; d < size.length; d++) {
                off += idx[d] * stride[d];
            }
            int from = Math.toIntExact(off * elem);
            if (from + elem > src.capacity()) {
                throw new InvalidInputException("tensor view exceeds its storage " + ref.key());
            }
            for (int b = 0; b < elem; b++) {
                dst.put(src.get(from + b));
            }
            for (int d = size.length - 1; d >= 0; d--) {
                if (++idx[d] < size[d]) {
                    break;
                }
                idx[d] = 0;
            }
        }
        dst.flip();
        return new TensorData(ref.type(), size, dst);
    }
}
