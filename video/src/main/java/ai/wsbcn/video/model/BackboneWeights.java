package ai.wsbcn.video.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.wsbcn.pretrained.io.StateDicts;
import ai.wsbcn.pretrained.io.TensorData;
import ai.wsbcn.util.ArrayOverwrite;
import ai.wsbcn.util.InvalidInputException;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Loads ImageNet (or any 2-D ResNet) weights named as torchvision names them into a {@link TsmNetwork}, the way TSM
 * starts from an ImageNet model: every backbone parameter is copied (shapes checked), the classifier {@code fc} is
 * kept new unless its shape matches, {@code num_batches_tracked} and other extras are reported as unused, and a
 * {@code module.} prefix (DataParallel checkpoints) is stripped.
 */
public final class BackboneWeights {

    /** What a load did: parameters copied, backbone parameters the file lacked, file entries not used. */
    public record Report(int loaded, List<String> missing, List<String> unused) {}

    private static final Pattern LAYER = Pattern.compile("layer(\\d+)\\.(\\d+)\\.");

    private BackboneWeights() {}

    /**
     * Reads a state dict with the pretrained module's readers: {@code .pth}/{@code .pt}/{@code .tar} (restricted
     * unpickling, never executing code), {@code .safetensors} or {@code .npz}; a {@code module.} prefix is stripped.
     */
    public static Map<String, NDArray> read(Path file, NDManager manager) {
        if (!Files.isRegularFile(file)) {
            throw new InvalidInputException(file + ": weights file not found");
        }
        Map<String, TensorData> raw;
        try {
            raw = StateDicts.read(file);
        } catch (IOException e) {
            throw new InvalidInputException(file + ": cannot read weights (" + e.getMessage() + ")", e);
        }
        Map<String, NDArray> out = new LinkedHashMap<>();
        for (Map.Entry<String, TensorData> e : raw.entrySet()) {
            String key = e.getKey().startsWith("module.") ? e.getKey().substring("module.".length()) : e.getKey();
            out.put(key, e.getValue().toNDArray(manager));
        }
        return out;
    }

    /** Reads an {@code .npz} archive of arrays named by their state-dict keys. */
    public static Map<String, NDArray> readNpz(Path file, NDManager manager) {
        if (!Files.isRegularFile(file)) {
            throw new InvalidInputException(file + ": weights file not found");
        }
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file))) {
            NDList list = NDList.decode(manager, in);
            Map<String, NDArray> out = new LinkedHashMap<>();
            for (NDArray a : list) {
                String key = a.getName();
                out.put(key.startsWith("module.") ? key.substring("module.".length()) : key, a);
            }
            return out;
        } catch (IOException | RuntimeException e) {
            throw new InvalidInputException(file + ": cannot read weights as .npz (" + e.getMessage() + ")", e);
        }
    }

    /** The array names in an {@code .npz} archive, without reading the arrays ({@code module.} stripped). */
    public static List<String> npzKeys(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new InvalidInputException(file + ": weights file not found");
        }
        List<String> keys = new ArrayList<>();
        try (java.util.zip.ZipFile zip = new java.util.zip.ZipFile(file.toFile())) {
            zip.stream().forEach(e -> {
                String k = e.getName().endsWith(".npy") ? e.getName().substring(0, e.getName().length() - 4)
                        : e.getName();
                keys.add(k.startsWith("module.") ? k.substring("module.".length()) : k);
            });
        } catch (IOException e) {
            throw new InvalidInputException(file + ": not an .npz archive (" + e.getMessage() + ")", e);
        }
        return keys;
    }

    /**
     * The ResNet shape of a torchvision-named state dict: bottleneck units when {@code layer1.0.conv3} exists, and
     * the unit count per stage from the largest {@code layer<s>.<u>} index.
     */
    public static TsmArchitecture inferArchitecture(Collection<String> keys, String source) {
        int[] blocks = new int[4];
        boolean bottleneck = false;
        for (String k : keys) {
            Matcher m = LAYER.matcher(k);
            if (m.lookingAt()) {
                int s = Integer.parseInt(m.group(1));
                if (s >= 1 && s <= 4) {
                    blocks[s - 1] = Math.max(blocks[s - 1], Integer.parseInt(m.group(2)) + 1);
                }
            }
            bottleneck |= k.startsWith("layer1.0.conv3.");
        }
        for (int b : blocks) {
            if (b == 0) {
                throw new InvalidInputException(source + ": not a torchvision-style ResNet state dict (needs layer1 to"
                        + " layer4 entries)");
            }
        }
        int units = 0;
        for (int b : blocks) {
            units += b;
        }
        int depth = units * (bottleneck ? 3 : 2) + 2;
        return new TsmArchitecture("resnet" + depth, true, bottleneck, blocks, new int[] {64, 128, 256, 512});
    }

    /** Copies {@code stateDict} into {@code net} (an initialised network). */
    public static Report load(TsmNetwork net, Map<String, NDArray> stateDict, String source) {
        Map<String, Parameter> params = TorchvisionNames.of(net);
        List<String> missing = new ArrayList<>();
        List<String> unused = new ArrayList<>();
        int loaded = 0;
        for (Map.Entry<String, Parameter> e : params.entrySet()) {
            String key = e.getKey();
            NDArray src = stateDict.get(key);
            NDArray dst = e.getValue().getArray();
            boolean classifier = key.startsWith("fc.");
            if (src == null) {
                if (!classifier) {
                    missing.add(key);
                }
                continue;
            }
            if (!src.getShape().equals(dst.getShape())) {
                if (classifier) {
                    unused.add(key + " (new classifier: " + src.getShape() + " vs " + dst.getShape() + ")");
                    continue;
                }
                throw new InvalidInputException(source + ": " + key + " has shape " + src.getShape()
                        + ", the network expects " + dst.getShape());
            }
            ArrayOverwrite.from(src, dst);
            loaded++;
        }
        for (String k : stateDict.keySet()) {
            if (!params.containsKey(k)) {
                unused.add(k);
            }
        }
        return new Report(loaded, missing, unused);
    }
}
