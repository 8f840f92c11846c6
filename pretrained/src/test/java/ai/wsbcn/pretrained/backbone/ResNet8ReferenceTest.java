package ai.wsbcn.pretrained.backbone;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.wsbcn.norm.NormSpec;
import ai.wsbcn.norm.testing.NumericAssert;
import ai.wsbcn.norm.testing.ReferenceData;
import ai.wsbcn.norm.testing.TestEngines;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.FloatBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * resnet8 with GN+WS against the PyTorch reference checkpoint ({@code shared/reference/checkpoints}): its key list,
 * renamed by {@link ResNet8#REFERENCE_RENAMES}, must equal our names and shapes, and with its weights (the .npz
 * written by {@code resnet8_reference.py}, keys already renamed the same way) our logits must match PyTorch's within
 * a relative error of 1e-4.
 */
class ResNet8ReferenceTest {

    @Test
    void renamedReferenceKeysAreOurNamesAndShapes() throws Exception {
        Map<String, Shape> renamed = new LinkedHashMap<>();
        try (InputStream in = getClass().getResourceAsStream("/reference/checkpoints/resnet8_gn_ws_keys.json")) {
            JsonObject root = JsonParser.parseReader(new InputStreamReader(in, StandardCharsets.UTF_8))
                    .getAsJsonObject();
            for (Map.Entry<String, JsonElement> e : root.entrySet()) {
                long[] dims = new long[e.getValue().getAsJsonArray().size()];
                for (int i = 0; i < dims.length; i++) {
                    dims[i] = e.getValue().getAsJsonArray().get(i).getAsLong();
                }
                renamed.put(ResNet8.renameReferenceKey(e.getKey()), new Shape(dims));
            }
        }
        try (NDManager manager = TestEngines.manager(TestEngines.MXNET)) {
            ResNet net = ResNet8.classifier(NormSpec.parse("gn+ws"), 10);
            net.initialize(manager, DataType.FLOAT32, new Shape(1, 1, 28, 28));
            assertEquals(renamed, TorchvisionListing.shapes(net.namedParameters()));
        }
        assertEquals("layer3.0.downsample.1.bias", ResNet8.renameReferenceKey("b3.short.1.bias"));
        assertEquals("fc.weight", ResNet8.renameReferenceKey("fc.weight"));
    }

    @ParameterizedTest
    @MethodSource("ai.wsbcn.norm.testing.TestEngines#names")
    void logitsMatchPyTorch(String engine) {
        try (NDManager manager = TestEngines.manager(engine);
                ReferenceData ref = ReferenceData.load(manager, "backbone/resnet8_gn_ws_torchvision_names.npz")) {
            ResNet net = ResNet8.classifier(NormSpec.parse("gn+ws"), 10);
            NDArray x = ref.get("x");
            net.initialize(manager, DataType.FLOAT32, x.getShape());
            for (Map.Entry<String, Parameter> e : net.namedParameters().entrySet()) {
                e.getValue().getArray().set(FloatBuffer.wrap(ref.get(e.getKey()).toFloatArray()));
            }
            NDArray logits = net.forward(new ParameterStore(manager, false), new NDList(x), false)
                    .singletonOrThrow();
            NumericAssert.assertRelClose(ref.get("logits"), logits, 1e-4, "resnet8 gn+ws logits");
        }
    }
}
