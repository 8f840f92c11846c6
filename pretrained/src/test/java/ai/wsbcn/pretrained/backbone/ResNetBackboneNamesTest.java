package ai.wsbcn.pretrained.backbone;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.initializer.Initializer;
import ai.wsbcn.norm.NormSpec;
import ai.wsbcn.norm.testing.TestEngines;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Parameter names, order and shapes of every architecture against torchvision's state_dict listing. With batch norm
 * the lists are identical; GN+WS has no running statistics (its norms hold weight and bias only), so it must equal the
 * listing without {@code running_mean}/{@code running_var}; a feature extractor lacks {@code fc}.
 */
class ResNetBackboneNamesTest {

    @ParameterizedTest(name = "{0} {1} {2}")
    @CsvSource({
        "resnet18, bn, MXNet", "resnet18, gn+ws, PyTorch", "resnet34, gn+ws, MXNet", "resnet50, bn, PyTorch",
        "resnet50, gn+ws, MXNet", "resnet101, frozen-bn, MXNet", "resnet152, gn+ws, MXNet",
        "resnext50_32x4d, bn, MXNet", "resnext50_32x4d, gn+ws, PyTorch", "resnext101_32x4d, gn+ws, MXNet"
    })
    void namesAndShapesMatchTorchvision(String arch, String norm, String engine) {
        NormSpec spec = NormSpec.parse(norm);
        Map<String, Shape> expected = TorchvisionListing.load(arch);
        if (spec.kind() == NormSpec.Kind.GN) {
            expected.keySet().removeIf(k -> k.endsWith("running_mean") || k.endsWith("running_var"));
        }
        try (NDManager manager = TestEngines.manager(engine)) {
            ResNet net = ResNets.builder().setArch(arch).setNorm(spec).build();
            net.setInitializer(Initializer.ZEROS, p -> true); // only shapes matter here
            net.initialize(manager, DataType.FLOAT32, new Shape(1, 3, 32, 32));
            Map<String, Shape> actual = TorchvisionListing.shapes(net.namedParameters());
            assertEquals(new ArrayList<>(expected.keySet()), new ArrayList<>(actual.keySet()), "names in order");
            assertEquals(expected, actual, "shapes");
        }
    }

    @ParameterizedTest(name = "features {0}")
    @CsvSource({"resnet18", "resnext50_32x4d"})
    void featureExtractorHasEverythingButTheHead(String arch) {
        Map<String, Shape> expected = new LinkedHashMap<>(TorchvisionListing.load(arch));
        expected.keySet().removeIf(k -> k.startsWith("fc."));
        try (NDManager manager = TestEngines.manager(TestEngines.MXNET)) {
            ResNet net = ResNets.builder().setArch(arch).setNorm("bn").optFeatures(true).build();
            net.setInitializer(Initializer.ZEROS, p -> true); // only shapes matter here
            net.initialize(manager, DataType.FLOAT32, new Shape(1, 3, 32, 32));
            assertEquals(expected, TorchvisionListing.shapes(net.namedParameters()));
            assertEquals(List.of(arch.startsWith("resnet18") ? 512 : 2048),
                    List.of(net.featureChannels()[3]));
        }
    }
}
