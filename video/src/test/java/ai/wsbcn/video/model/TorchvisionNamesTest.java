package ai.wsbcn.video.model;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.wsbcn.util.InvalidInputException;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Parameter names and shapes against the state-dict keys of torchvision 0.14's {@code resnet18()} and
 * {@code resnet50()} (listed by {@code /usr/bin/python3} into {@code /torchvision/*_keys.json}), and loading such a
 * state dict from an {@code .npz}.
 */
class TorchvisionNamesTest {

    private static Map<String, long[]> torchvisionKeys(String name) throws IOException {
        try (InputStream in = TorchvisionNamesTest.class.getResourceAsStream("/torchvision/" + name + "_keys.json")) {
            JsonObject o = JsonParser.parseString(new String(in.readAllBytes(), StandardCharsets.UTF_8))
                    .getAsJsonObject();
            Map<String, long[]> out = new LinkedHashMap<>();
            for (Map.Entry<String, JsonElement> e : o.entrySet()) {
                JsonArray a = e.getValue().getAsJsonArray();
                long[] shape = new long[a.size()];
                for (int i = 0; i < shape.length; i++) {
                    shape[i] = a.get(i).getAsLong();
                }
                out.put(e.getKey(), shape);
            }
            return out;
        }
    }

    private static TsmNetwork build(NDManager m, String backbone, String norm, int classes) {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < classes; i++) {
            names.add("c" + i);
        }
        return new TsmModelSpec(backbone, norm, 2, 8, true, 1, 0.5f, 32, 32, names).buildInitialized(m);
    }

    @Test
    void namesAndShapesAreTorchvisions() throws IOException {
        for (String arch : List.of("resnet18", "resnet50")) {
            Map<String, long[]> expected = torchvisionKeys(arch);
            expected.keySet().removeIf(k -> k.endsWith("num_batches_tracked"));
            try (NDManager m = Engine.getInstance().newBaseManager()) {
                Map<String, Parameter> ours = TorchvisionNames.of(build(m, arch, "bn", 1000));
                assertEquals(new ArrayList<>(expected.keySet()), new ArrayList<>(ours.keySet()), arch + " key order");
                for (Map.Entry<String, long[]> e : expected.entrySet()) {
                    assertArrayEquals(e.getValue(), ours.get(e.getKey()).getArray().getShape().getShape(),
                            arch + " " + e.getKey());
                }
                assertEquals(arch, BackboneWeights.inferArchitecture(expected.keySet(), arch).name());
            }
        }
    }

    @Test
    void groupNormWithWsHasNoRunningStatistics() {
        try (NDManager m = Engine.getInstance().newBaseManager()) {
            Map<String, Parameter> ours = TorchvisionNames.of(build(m, "resnet18", "gn+ws", 10));
            assertTrue(ours.containsKey("layer2.0.downsample.1.weight"));
            assertTrue(ours.containsKey("layer4.1.bn2.bias"));
            assertTrue(ours.keySet().stream().noneMatch(k -> k.contains("running")), ours.keySet().toString());
        }
    }

    /** A state dict named as {@link #namesAndShapesAreTorchvisions} checked, written as .npz, into a fresh net. */
    @Test
    void loadsAnNpzStateDictAndChecksIt(@TempDir Path dir) throws IOException {
        try (NDManager m = Engine.getInstance().newBaseManager()) {
            // a small ResNet: the same naming code as above, and a file small enough to write quickly
            TsmNetwork source = build(m, "resnet8w8", "bn", 5);
            NDList arrays = new NDList();
            for (Map.Entry<String, Parameter> e : TorchvisionNames.of(source).entrySet()) {
                if (e.getKey().startsWith("layer3")) {
                    continue; // checked as missing below
                }
                NDArray a = m.randomUniform(-1, 1, e.getValue().getArray().getShape());
                a.setName("module." + e.getKey());
                arrays.add(a);
            }
            NDArray counter = m.create(7L);
            counter.setName("bn1.num_batches_tracked");
            arrays.add(counter);
            NDArray oldFc = m.zeros(new Shape(1000, 32));
            oldFc.setName("fc.weight");
            arrays.add(oldFc);
            Path npz = dir.resolve("r18.npz");
            try (OutputStream out = Files.newOutputStream(npz)) {
                arrays.encode(out, NDList.Encoding.NPZ);
            }
            assertTrue(BackboneWeights.npzKeys(npz).contains("layer2.0.downsample.1.running_var"));
            TsmNetwork net = build(m, "resnet8w8", "bn", 5);
            BackboneWeights.Report r = BackboneWeights.load(net, BackboneWeights.readNpz(npz, m), npz.toString());
            long layer3 = TorchvisionNames.of(net).keySet().stream().filter(k -> k.startsWith("layer3")).count();
            assertEquals(layer3, r.missing().size());
            assertTrue(r.missing().stream().allMatch(k -> k.startsWith("layer3")), r.missing().toString());
            assertEquals(arrays.size() - 3, r.loaded(), "all but the fc weight, the fc bias (absent) and the counter");
            assertEquals(2, r.unused().size(), r.unused().toString());
            Map<String, Parameter> ours = TorchvisionNames.of(net);
            NDArray src = arrays.get("module.layer2.0.downsample.1.running_var");
            assertArrayEquals(src.toFloatArray(),
                    ours.get("layer2.0.downsample.1.running_var").getArray().toFloatArray());

            Map<String, NDArray> broken = BackboneWeights.readNpz(npz, m);
            broken.put("layer1.0.conv1.weight", m.zeros(new Shape(8, 8, 1, 1)));
            InvalidInputException e = assertThrows(InvalidInputException.class,
                    () -> BackboneWeights.load(net, broken, "broken.npz"));
            assertTrue(e.getMessage().contains("layer1.0.conv1.weight") && e.getMessage().contains("(8, 8, 3, 3)"),
                    e.getMessage());
        }
    }
}
