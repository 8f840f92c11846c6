package ai.wsbcn.pretrained.registry;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.wsbcn.norm.NormSpec;
import ai.wsbcn.pretrained.backbone.ResNet;
import ai.wsbcn.pretrained.backbone.ResNet8;
import ai.wsbcn.pretrained.io.KeyRenames;
import ai.wsbcn.pretrained.io.SafeTensors;
import ai.wsbcn.pretrained.io.StateDicts;
import ai.wsbcn.pretrained.io.TensorData;
import ai.wsbcn.util.InvalidInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Imports of state dicts laid out as PyTorch code writes them: torchvision's BN counters, the official BCN code. */
class ForeignCheckpointImportTest {

    /** A model's own tensors, as a reference for what the import must store. */
    private static Map<String, TensorData> tensorsOf(String norm) {
        try (NDManager m = Engine.getInstance().newBaseManager()) {
            ResNet model = ResNet8.classifier(NormSpec.parse(norm), 10);
            model.initialize(m, DataType.FLOAT32, new Shape(1, 1, 28, 28));
            return StateDicts.of(model);
        }
    }

    private static TensorData counter(long value) {
        ByteBuffer b = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(value);
        b.flip();
        return new TensorData(TensorData.Type.INT64, new long[0], b);
    }

    /** Every torch BatchNorm since 0.4.1 saves num_batches_tracked; a torchvision checkpoint must import as is. */
    @Test
    void torchvisionBatchNormCountersAreNotUnexpectedKeys(@TempDir Path dir) throws Exception {
        Map<String, TensorData> own = tensorsOf("bn");
        Map<String, TensorData> torch = new LinkedHashMap<>();
        own.forEach((k, v) -> {
            torch.put(k, v);
            if (k.endsWith(".running_var")) {
                torch.put(k.replace(".running_var", ".num_batches_tracked"), counter(1234));
            }
        });
        Path file = dir.resolve("tv.safetensors");
        SafeTensors.write(file, torch, Map.of());
        PretrainedRegistry registry = new PretrainedRegistry(dir.resolve("reg"));
        PretrainedRegistry.ImportResult r = registry.importFile(file, "tv", "resnet8", "bn", List.of(), false);
        assertTrue(r.report().isComplete(), r.report().toString());
        assertEquals(own.size(), r.entry().tensors());
        assertTrue(registry.verify("tv").isComplete());
    }

    /**
     * The official BCN code keeps the batch part in a {@code bn} (README's BCNorm/EstBN) or {@code pbn} (ImageNet and
     * DeepLab code) sub-module with torch's counters and EstBN's rate, and the group affine as (1, G, 1).
     */
    @ParameterizedTest
    @ValueSource(strings = {"bn", "pbn"})
    void officialBcnLayoutImportsWithItsValues(String batchPart, @TempDir Path dir) throws Exception {
        Map<String, TensorData> own = tensorsOf("bcn+ws");
        Map<String, TensorData> official = new LinkedHashMap<>();
        own.forEach((k, v) -> {
            int dot = k.lastIndexOf('.');
            String layer = k.substring(0, dot);
            String leaf = k.substring(dot + 1);
            boolean bcn = own.containsKey(layer + ".batch_weight");
            if (bcn && (leaf.equals("weight") || leaf.equals("bias"))) {
                official.put(k, new TensorData(v.type(), new long[] {1, v.shape()[0], 1}, v.bytes()));
            } else if (bcn) {
                String torchLeaf = leaf.replace("batch_", "");
                official.put(layer + "." + batchPart + "." + torchLeaf, v);
                if (leaf.equals("running_var")) {
                    official.put(layer + "." + batchPart + ".num_batches_tracked", counter(7));
                    official.put(layer + "." + batchPart + ".estbn_moving_speed", new TensorData(
                            TensorData.Type.FLOAT32, new long[] {1}, ByteBuffer.allocate(4)));
                }
            } else {
                official.put(k, v);
            }
        });
        Path file = dir.resolve("official.safetensors");
        SafeTensors.write(file, official, Map.of());
        PretrainedRegistry registry = new PretrainedRegistry(dir.resolve("reg"));
        PretrainedRegistry.ImportResult r = registry.importFile(file, "bcn", "resnet8", "bcn+ws",
                KeyRenames.OFFICIAL_BCN, false);
        assertTrue(r.report().isComplete(), r.report().toString());
        Map<String, TensorData> stored = SafeTensors.read(registry.resolve("bcn"));
        assertEquals(own.keySet(), stored.keySet());
        own.forEach((k, v) -> {
            assertArrayEquals(v.shape(), stored.get(k).shape(), k);
            assertArrayEquals(v.toFloats(), stored.get(k).toFloats(), 0f, k);
        });
    }

    /** TSM saves {@code base_model.conv1.weight}, mmdet {@code backbone.conv1.weight}: the error names the rename. */
    @Test
    void aWrappedBackboneIsRefusedWithTheRenameThatStripsItsPrefix(@TempDir Path dir) throws Exception {
        Map<String, TensorData> tsm = new LinkedHashMap<>();
        tensorsOf("bn").forEach((k, v) -> tsm.put((k.startsWith("fc.") ? "new_" : "base_model.") + k, v));
        Path file = dir.resolve("tsm.safetensors");
        SafeTensors.write(file, tsm, Map.of());
        PretrainedRegistry registry = new PretrainedRegistry(dir.resolve("reg"));
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> registry.importFile(file, "tsm", "resnet8", "bn", List.of(), false));
        assertTrue(e.getMessage().endsWith("the file holds them under 'base_model.': add --prefix 'base_model.'"
                + " (only those) or --rename 'base_model\\.='"), e.getMessage());
        PretrainedRegistry.ImportResult r = registry.importFile(file, "tsm", "resnet8", "bn",
                List.of("base_model\\.=", "new_fc\\.=fc."), false);
        assertTrue(r.report().isComplete(), r.report().toString());
    }

    /**
     * A whole mmdetection detector: {@code backbone.*} plus neck and head tensors. {@code --rename 'backbone\.='}
     * leaves the neck and heads as tensors the backbone lacks (refused without --allow-partial); {@code --prefix}
     * keeps the backbone's alone, as mmcv's {@code _load_checkpoint_with_prefix} does.
     */
    @Test
    void aPrefixSelectsTheBackboneOfAWholeDetector(@TempDir Path dir) throws Exception {
        Map<String, TensorData> detector = new LinkedHashMap<>();
        Map<String, TensorData> backbone = tensorsOf("bn");
        backbone.forEach((k, v) -> detector.put("backbone." + k, v));
        TensorData any = backbone.values().iterator().next();
        detector.put("neck.lateral_convs.0.conv.weight", any);
        detector.put("rpn_head.rpn_cls.weight", any);
        Path file = dir.resolve("mmdet.safetensors");
        SafeTensors.write(file, detector, Map.of());
        PretrainedRegistry registry = new PretrainedRegistry(dir.resolve("reg"));
        assertThrows(InvalidInputException.class,
                () -> registry.importFile(file, "rn", "resnet8", "bn", List.of("backbone\\.="), false));
        PretrainedRegistry.ImportResult r = registry.importFile(file, "rn", "resnet8", "bn", "backbone.", List.of(),
                false);
        assertTrue(r.report().isComplete(), r.report().toString());
        assertEquals(backbone.keySet(), SafeTensors.read(registry.resolve("rn")).keySet());
        InvalidInputException none = assertThrows(InvalidInputException.class,
                () -> registry.importFile(file, "x", "resnet8", "bn", "model.", List.of(), false));
        assertTrue(none.getMessage().contains("no tensor under it; the file's top-level names are backbone., neck.,"
                + " rpn_head."), none.getMessage());
    }
}
