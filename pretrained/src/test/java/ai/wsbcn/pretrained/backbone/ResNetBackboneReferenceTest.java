package ai.wsbcn.pretrained.backbone;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import ai.wsbcn.norm.testing.NumericAssert;
import ai.wsbcn.norm.testing.ReferenceData;
import ai.wsbcn.norm.testing.TestEngines;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Outputs against torchvision (eval mode, float64; see {@code reference/backbone/backbone_reference.py}): every
 * parameter is set by name from a formula of its state_dict position, so matching outputs also prove that our names
 * sit on the tensors torchvision gives them. Tolerance: relative Frobenius error below 1e-4.
 */
class ResNetBackboneReferenceTest {

    private static final double TOL = 1e-4;

    @ParameterizedTest
    @MethodSource("ai.wsbcn.norm.testing.TestEngines#names")
    void resnet18LogitsAndStages(String engine) {
        try (NDManager manager = TestEngines.manager(engine);
                ReferenceData ref = ReferenceData.load(manager, "backbone/ref_resnet18.npz")) {
            // bn in inference uses the running statistics: torchvision's eval mode
            ResNet classifier = ResNets.builder().setArch("resnet18").setNorm("bn").build();
            NDArray logits = run(manager, classifier, "resnet18", ref.get("x")).singletonOrThrow();
            NumericAssert.assertRelClose(ref.get("logits"), logits, TOL, "resnet18 logits");

            ResNet features = ResNets.builder().setArch("resnet18").setNorm("frozen-bn").optFeatures(true).build();
            NDList maps = run(manager, features, "resnet18", ref.get("x"));
            for (int i = 0; i < 4; i++) {
                NumericAssert.assertRelClose(ref.get("c" + (i + 2)), maps.get(i), TOL, "resnet18 c" + (i + 2));
            }
        }
    }

    @ParameterizedTest
    @MethodSource("ai.wsbcn.norm.testing.TestEngines#names")
    void resnext50Logits(String engine) {
        try (NDManager manager = TestEngines.manager(engine);
                ReferenceData ref = ReferenceData.load(manager, "backbone/ref_resnext50_32x4d.npz")) {
            ResNet net = ResNets.builder().setArch("resnext50_32x4d").setNorm("frozen-bn").build();
            NDArray logits = run(manager, net, "resnext50_32x4d", ref.get("x")).singletonOrThrow();
            NumericAssert.assertRelClose(ref.get("logits"), logits, TOL, "resnext50_32x4d logits");
        }
    }

    @ParameterizedTest
    @MethodSource("ai.wsbcn.norm.testing.TestEngines#names")
    void resnet50OutputStride8(String engine) {
        try (NDManager manager = TestEngines.manager(engine);
                ReferenceData ref = ReferenceData.load(manager, "backbone/ref_resnet50_os8.npz")) {
            ResNet net = ResNets.builder().setArch("resnet50").setNorm("frozen-bn").optFeatures(true)
                    .optOutputStride(8).build();
            NDList maps = run(manager, net, "resnet50", ref.get("x"));
            NumericAssert.assertRelClose(ref.get("c2"), maps.get(0), TOL, "resnet50 os8 c2");
            NumericAssert.assertRelClose(ref.get("c5"), maps.get(3), TOL, "resnet50 os8 c5");
        }
    }

    @ParameterizedTest
    @MethodSource("ai.wsbcn.norm.testing.TestEngines#names")
    void resnet50OutputStride16MultiGrid(String engine) {
        try (NDManager manager = TestEngines.manager(engine);
                ReferenceData ref = ReferenceData.load(manager, "backbone/ref_resnet50_os16_mg124.npz")) {
            ResNet net = ResNets.builder().setArch("resnet50").setNorm("frozen-bn").optFeatures(true)
                    .optOutputStride(16).optMultiGrid(1, 2, 4).build();
            NDList maps = run(manager, net, "resnet50", ref.get("x"));
            NumericAssert.assertRelClose(ref.get("c4"), maps.get(2), TOL, "resnet50 os16 mg124 c4");
            NumericAssert.assertRelClose(ref.get("c5"), maps.get(3), TOL, "resnet50 os16 mg124 c5");
        }
    }

    private static NDList run(NDManager manager, ResNet net, String listing, NDArray x) {
        net.setInitializer(Initializer.ZEROS, p -> true); // every value is overwritten; skip random generation
        net.initialize(manager, DataType.FLOAT32, x.getShape());
        TorchvisionListing.fillWithFormula(net.namedParameters(), TorchvisionListing.load(listing));
        return net.forward(new ParameterStore(manager, false), new NDList(x), false);
    }
}
