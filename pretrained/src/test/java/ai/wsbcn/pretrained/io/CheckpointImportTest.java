package ai.wsbcn.pretrained.io;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import ai.wsbcn.norm.NormSpec;
import ai.wsbcn.norm.testing.NumericAssert;
import ai.wsbcn.norm.testing.ReferenceData;
import ai.wsbcn.norm.testing.TestEngines;
import ai.wsbcn.pretrained.backbone.ResNet;
import ai.wsbcn.pretrained.backbone.ResNet8;
import ai.wsbcn.util.InvalidInputException;
import com.google.gson.Gson;
import com.google.gson.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The reference ResNet-8 (GN+WS) saved by PyTorch three ways, read without Python and checked end to end. */
class CheckpointImportTest {

    private static Path resource(String name) throws Exception {
        return Path.of(CheckpointImportTest.class.getResource("/reference/checkpoints/" + name).toURI());
    }

    @ParameterizedTest
    @ValueSource(strings = {"resnet8_gn_ws.pth", "resnet8_gn_ws_legacy.pth", "resnet8_gn_ws_wrapped.pth.tar"})
    void readsEveryFormatWithTheListedKeysAndShapes(String file) throws Exception {
        Map<String, TensorData> sd = StateDicts.read(resource(file));
        JsonObject keys = new Gson().fromJson(Files.readString(resource("resnet8_gn_ws_keys.json")),
                JsonObject.class);
        assertEquals(new ArrayList<>(keys.keySet()), new ArrayList<>(sd.keySet()), "keys in file order");
        for (String k : keys.keySet()) {
            long[] shape = new Gson().fromJson(keys.get(k), long[].class);
            assertArrayEquals(shape, sd.get(k).shape(), k);
        }
        Map<String, TensorData> zip = StateDicts.read(resource("resnet8_gn_ws.pth"));
        for (String k : sd.keySet()) {
            assertArrayEquals(zip.get(k).toFloats(), sd.get(k).toFloats(), k + " same values as the zip format");
        }
    }

    /**
     * float16 (largest normal, subnormals, -0, infinities), bfloat16, float64, transposed views, a slice at a storage
     * offset and a stride-2 slice, saved by torch 1.13 (dtypes_views.py), read as the float32 values torch gives
     * ({@code t.float().contiguous()}): exact, bit for bit (every one of these widenings is exact; float64 rounds once,
     * to nearest, on both sides).
     */
    @ParameterizedTest
    @ValueSource(strings = {"dtypes_views.pth", "dtypes_views_legacy.pth", "dtypes_views.safetensors"})
    void halfPrecisionAndStridedViewsReadAsTorchWidensThem(String file) throws Exception {
        Map<String, TensorData> sd = StateDicts.read(resource(file));
        try (NDManager m = NDManager.newBaseManager();
             ReferenceData expected = ReferenceData.load(m, "checkpoints/dtypes_views_expected.npz")) {
            for (String k : List.of("half", "bf16", "double", "transposed", "half_transposed", "base", "offset",
                    "every_other")) {
                NDArray want = expected.get(k);
                assertArrayEquals(want.getShape().getShape(), sd.get(k).shape(), file + " " + k + " shape");
                assertArrayEquals(want.toFloatArray(), sd.get(k).toFloats(), file + " " + k);
            }
        }
    }

    /** Imported weights reproduce PyTorch's eval-mode logits; relative error < 1e-4. */
    @ParameterizedTest
    @MethodSource("ai.wsbcn.norm.testing.TestEngines#names")
    void importedModelReproducesPytorchLogits(String engine) throws Exception {
        Map<String, TensorData> sd = new LinkedHashMap<>();
        StateDicts.read(resource("resnet8_gn_ws_wrapped.pth.tar"))
                .forEach((k, v) -> sd.put(ResNet8.renameReferenceKey(k), v));
        try (NDManager m = TestEngines.manager(engine)) {
            ResNet model = ResNet8.classifier(NormSpec.parse("gn+ws"), 10);
            model.initialize(m, DataType.FLOAT32, new Shape(2, 1, 28, 28));
            LoadReport report = StateDicts.load(model, sd, true, "resnet8_gn_ws_wrapped.pth.tar");
            assertTrue(report.isComplete(), report.toString());
            ReferenceData io = ReferenceData.load(m, "checkpoints/resnet8_gn_ws_io.npz");
            NDArray logits = model.forward(new ParameterStore(m, false), new NDList(io.get("x")), false)
                    .singletonOrThrow();
            NumericAssert.assertRelClose(io.get("logits"), logits, 1e-4, engine + " logits");
        }
    }

    @Test
    void strictLoadingListsMissingUnexpectedAndMismatchedKeys() throws Exception {
        Map<String, TensorData> sd = StateDicts.read(resource("resnet8_gn_ws.pth"));
        try (NDManager m = TestEngines.manager(TestEngines.MXNET)) {
            ResNet model = ResNet8.classifier(NormSpec.parse("gn+ws"), 7);
            model.initialize(m, DataType.FLOAT32, new Shape(1, 1, 28, 28));
            InvalidInputException e = assertThrows(InvalidInputException.class,
                    () -> StateDicts.load(model, sd, true, "resnet8_gn_ws.pth"));
            assertTrue(e.getMessage().contains("not in the model") && e.getMessage().contains("stem.weight"),
                    e.getMessage());
            LoadReport r = StateDicts.load(model, sd, false, "resnet8_gn_ws.pth");
            assertTrue(r.missing().contains("conv1.weight"), r.toString());
            assertTrue(r.shapeMismatches().stream().anyMatch(s -> s.startsWith("fc.weight")), r.toString());
            assertEquals(0, r.loaded(), "nothing matches without the rename rules but fc.bias");
        }
    }

    @Test
    void refusesAPickleThatWouldRunCodeWithoutRunningIt() throws Exception {
        Path marker = Path.of("/tmp/wsbcn-checkpoint-executed-code");
        Files.deleteIfExists(marker);
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> StateDicts.read(resource("malicious.pth")));
        assertTrue(e.getMessage().contains("posix.system") && e.getMessage().contains("refused"), e.getMessage());
        assertFalse(Files.exists(marker), "no code ran");
    }

    @Test
    void safetensorsAndNpzRoundTrip(@TempDir Path dir) throws Exception {
        Map<String, TensorData> sd = StateDicts.read(resource("resnet8_gn_ws.pth"));
        SafeTensors.write(dir.resolve("m.safetensors"), sd, Map.of("norm", "gn+ws"));
        Npz.write(dir.resolve("m.npz"), sd);
        for (Path p : List.of(dir.resolve("m.safetensors"), dir.resolve("m.npz"))) {
            Map<String, TensorData> back = StateDicts.read(p);
            assertEquals(sd.keySet(), back.keySet(), p.toString());
            for (String k : sd.keySet()) {
                assertArrayEquals(sd.get(k).shape(), back.get(k).shape(), k);
                assertArrayEquals(sd.get(k).toFloats(), back.get(k).toFloats(), k);
            }
        }
    }

    @Test
    void infersTheArchitectureFromKeysAndShapes() throws Exception {
        Map<String, TensorData> sd = new LinkedHashMap<>();
        StateDicts.read(resource("resnet8_gn_ws.pth")).forEach((k, v) -> sd.put(ResNet8.renameReferenceKey(k), v));
        assertEquals(ai.wsbcn.pretrained.backbone.ResNetArch.RESNET8, ArchitectureInference.infer(sd, "r8"));
        for (String arch : List.of("resnet18", "resnet50", "resnext50_32x4d")) {
            try (NDManager m = TestEngines.manager(TestEngines.MXNET)) {
                ResNet net = ai.wsbcn.pretrained.backbone.ResNets.builder().setArch(arch).setNorm("frozen-bn")
                        .optNumClasses(10).build();
                net.initialize(m, DataType.FLOAT32, new Shape(1, 3, 32, 32));
                assertEquals(arch, ArchitectureInference.infer(StateDicts.of(net), arch).id());
            }
        }
        assertThrows(InvalidInputException.class, () -> ArchitectureInference.infer(Map.of(), "empty"));
    }

    /** Archives cut short (an interrupted download or copy) are input errors naming the file, for npz and torch's zip. */
    @Test
    void truncatedArchivesNameTheFile(@TempDir Path dir) throws Exception {
        Map<String, TensorData> sd = StateDicts.read(resource("resnet8_gn_ws.pth"));
        Path npz = dir.resolve("whole.npz");
        Npz.write(npz, sd);
        byte[] zipPth = Files.readAllBytes(resource("resnet8_gn_ws.pth"));
        byte[] npzBytes = Files.readAllBytes(npz);
        Path cutNpz = dir.resolve("cut.npz");
        Files.write(cutNpz, java.util.Arrays.copyOf(npzBytes, npzBytes.length * 3 / 4));
        Path cutPth = dir.resolve("cut.pth");
        Files.write(cutPth, java.util.Arrays.copyOf(zipPth, zipPth.length * 3 / 4));
        for (Path cut : new Path[] {cutNpz, cutPth}) {
            InvalidInputException e = org.junit.jupiter.api.Assertions.assertThrows(InvalidInputException.class,
                    () -> StateDicts.read(cut));
            assertTrue(e.getMessage().startsWith(cut.toString()), e.getMessage());
        }
    }
}
