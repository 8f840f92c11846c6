package ai.wsbcn.pretrained.io;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.wsbcn.norm.BlockPaths;
import ai.wsbcn.util.ArrayOverwrite;
import ai.wsbcn.util.InvalidInputException;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Moves state dicts between files and DJL blocks by PyTorch-style names ({@link BlockPaths}): reads any supported
 * format, loads into an initialised block (strict or not), and takes a block's parameters out for export.
 */
public final class StateDicts {

    private StateDicts() {}

    /** Reads {@code .pth}/{@code .pt}/{@code .tar}, {@code .safetensors} or {@code .npz}, chosen by content/name. */
    public static Map<String, TensorData> read(Path file) throws IOException {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        try {
            if (name.endsWith(".safetensors")) {
                return SafeTensors.read(file);
            }
            if (name.endsWith(".npz")) {
                return Npz.read(file);
            }
            return TorchCheckpoint.read(file);
        } catch (java.util.zip.ZipException | java.io.EOFException e) {
            // .npz and torch's zip format are zip archives: a cut one has no central directory, or ends early
            throw new InvalidInputException(file + ": truncated or damaged archive (" + e.getMessage() + ")", e);
        }
    }

    /**
     * Copies tensors into {@code model}'s parameters (it must be initialised). In strict mode any missing,
     * unexpected or shape-mismatched key is an error listing them all; otherwise they are reported.
     */
    public static LoadReport load(Block model, Map<String, TensorData> stateDict, boolean strict, String source) {
        Map<String, Parameter> params = BlockPaths.parameters(model);
        List<String> missing = new ArrayList<>();
        List<String> mismatched = new ArrayList<>();
        List<String> unexpected = new ArrayList<>(stateDict.keySet());
        unexpected.removeAll(params.keySet());
        int loaded = 0;
        Map<Parameter, TensorData> toCopy = new LinkedHashMap<>();
        for (Map.Entry<String, Parameter> e : params.entrySet()) {
            TensorData t = stateDict.get(e.getKey());
            if (t == null) {
                missing.add(e.getKey());
                continue;
            }
            NDArray a = e.getValue().getArray();
            if (!Arrays.equals(a.getShape().getShape(), t.shape())) {
                mismatched.add(e.getKey() + " " + Arrays.toString(t.shape()) + " vs model "
                        + Arrays.toString(a.getShape().getShape()));
                continue;
            }
            toCopy.put(e.getValue(), t);
        }
        LoadReport report = new LoadReport(toCopy.size(), missing, unexpected, mismatched);
        if (strict && !report.isComplete()) {
            throw new InvalidInputException(source + ": does not match the model (use non-strict loading to load"
                    + " what matches): " + report);
        }
        for (Map.Entry<Parameter, TensorData> e : toCopy.entrySet()) {
            NDArray a = e.getKey().getArray();
            if (a.getDataType() == DataType.FLOAT32) {
                ArrayOverwrite.floats(a, e.getValue().toFloats());
            } else {
                ArrayOverwrite.bytes(a, e.getValue().bytes());
            }
            loaded++;
        }
        return new LoadReport(loaded, missing, unexpected, mismatched);
    }

    /**
     * Loads an ImageNet classifier's weights (a torchvision-style ResNet state dict) into the backbone of a
     * detector or segmenter, whose parameters are named {@code prefix + <torchvision name>} (e.g.
     * {@code backbone.body.layer1.0.conv1.weight}): the classifier ({@code fc.}) and {@code num_batches_tracked}
     * are left out, the rest of the model keeps its initialisation. A file of which nothing fits, or with a tensor
     * the backbone lacks or has in another shape, is an error naming the file and the keys.
     */
    public static LoadReport loadBackbone(Block model, Path weights, String prefix) throws IOException {
        Map<String, TensorData> sd = new LinkedHashMap<>();
        Map<String, TensorData> file = CheckpointLayout.toModelLayout(read(weights));
        file.forEach((k, v) -> {
            if (!k.startsWith("fc.")) {
                sd.put(prefix + k, v);
            }
        });
        LoadReport r = load(model, sd, false, weights.toString());
        if (r.loaded() == 0) {
            List<String> backboneNames = r.missing().stream().filter(k -> k.startsWith(prefix))
                    .map(k -> k.substring(prefix.length())).toList();
            String hint = KeyPrefixes.dominant(file.keySet(), backboneNames)
                    .map(p -> "; the file holds them under '" + p + "': import it with 'wsbcn pretrained import "
                            + weights + " --prefix '" + p + "' ...' and give the registered name")
                    .orElse("");
            throw new InvalidInputException(weights + ": no tensor fits the backbone (" + r + ")" + hint);
        }
        if (!r.unexpected().isEmpty() || !r.shapeMismatches().isEmpty()) {
            throw new InvalidInputException(weights + ": does not fit the backbone: " + r);
        }
        return r;
    }

    /** The parameters of an initialised block, by PyTorch-style name. */
    public static Map<String, TensorData> of(Block model) {
        Map<String, TensorData> out = new LinkedHashMap<>();
        BlockPaths.parameters(model).forEach((k, p) -> out.put(k, TensorData.fromNDArray(p.getArray())));
        return out;
    }
}
