package ai.wsbcn.segmentation.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.ParameterStore;
import ai.wsbcn.norm.BlockPaths;
import ai.wsbcn.norm.ConvNorm;
import ai.wsbcn.norm.testing.NumericAssert;
import ai.wsbcn.norm.testing.TestEngines;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Output strides, dilations and ASPP rates of the DeepLabV3 builders; bilinear upsampling against PyTorch. */
class ModelShapesTest {

    private static Conv2d conv(Map<String, Block> blocks, String path) {
        return (Conv2d) blocks.get(path);
    }

    @Test
    void outputStrideSixteenAndEight() {
        try (NDManager m = NDManager.newBaseManager()) {
            for (int os : new int[] {16, 8}) {
                DilatedResNet backbone = DilatedResNet.builder().setConvNorm(ConvNorm.djlBatchNorm())
                        .optBlocks(1, 1, 2, 2).optWidths(8, 8, 16, 16).optOutputStride(os).optMultiGrid(1, 2).build();
                DeepLabV3 model = DeepLabV3.builder().setBackbone(backbone).setConvNorm(ConvNorm.djlBatchNorm())
                        .setNumClasses(5).optOutputStride(os).optFilters(8).build();
                Shape in = new Shape(1, 3, 65, 49);
                model.initialize(m, DataType.FLOAT32, in);
                long fh = (65 + os - 1) / os;
                long fw = (49 + os - 1) / os;
                assertEquals(new Shape(1, 16, fh, fw), backbone.getOutputShapes(new Shape[] {in})[0], "OS" + os);
                NDArray y = model.forward(new ParameterStore(m, false), new NDList(m.randomNormal(in)), false)
                        .singletonOrThrow();
                assertEquals(new Shape(1, 5, 65, 49), y.getShape());
                Map<String, Block> blocks = BlockPaths.blocks(model);
                int[] rates = Aspp.ratesFor(os);
                for (int i = 0; i < 3; i++) {
                    Conv2d c = conv(blocks, "classifier.0.convs." + (i + 1) + ".0");
                    assertEquals(new Shape(rates[i], rates[i]), c.getDilation());
                    assertEquals(new Shape(rates[i], rates[i]), c.getPadding());
                }
                // stage 4: first unit keeps the previous dilation, the second has dilation x multi-grid 2
                int d4 = os == 16 ? 2 : 4;
                int d3 = os == 16 ? 1 : 2;
                assertEquals(new Shape(d4 / 2, d4 / 2), conv(blocks, "backbone.layer4.0.conv1").getDilation());
                assertEquals(new Shape(2 * d4, 2 * d4), conv(blocks, "backbone.layer4.1.conv1").getDilation());
                assertEquals(new Shape(d3, d3), conv(blocks, "backbone.layer3.1.conv2").getDilation());
                assertEquals(new Shape(1, 1), conv(blocks, "backbone.layer4.0.conv1").getStride());
                Map<String, Parameter> params = BlockPaths.parameters(model);
                assertTrue(params.containsKey("backbone.layer2.0.downsample.0.weight"));
                assertTrue(params.containsKey("classifier.4.bias"));
                assertTrue(params.containsKey("classifier.0.convs.4.1.weight"));
            }
        }
    }

    @Test
    void pretrainedModuleResNetBackbone() {
        try (NDManager m = NDManager.newBaseManager()) {
            ModelSpec spec = ModelSpec.of("gn+ws", "resnet18", 8, 21, List.of()).withFilters(16).withMultiGrid(1, 2);
            DeepLabV3 model = spec.build(ConvNorm::parse);
            Shape in = new Shape(1, 3, 41, 33);
            model.initialize(m, DataType.FLOAT32, in);
            NDArray y = model.forward(new ParameterStore(m, false), new NDList(m.randomNormal(in)), false)
                    .singletonOrThrow();
            assertEquals(new Shape(1, 21, 41, 33), y.getShape());
            Map<String, Block> blocks = BlockPaths.blocks(model);
            // OS 8: layer4 rate 4 times the multi-grid (1, 2), ASPP rates 12/24/36
            assertEquals(new Shape(4, 4), ((Conv2d) blocks.get("backbone.layer4.0.conv1")).getDilation());
            assertEquals(new Shape(8, 8), ((Conv2d) blocks.get("backbone.layer4.1.conv1")).getDilation());
            assertEquals(new Shape(36, 36), ((Conv2d) blocks.get("classifier.0.convs.3.0")).getDilation());
            assertTrue(BlockPaths.parameters(model).containsKey("backbone.layer1.0.conv1.weight"));
            assertTrue(BlockPaths.parameters(model).containsKey("classifier.0.convs.4.2.weight"));
        }
    }

    @ParameterizedTest
    @MethodSource("ai.wsbcn.norm.testing.TestEngines#names")
    void bilinearMatchesTorchInterpolate(String engine) throws IOException {
        try (NDManager m = TestEngines.manager(engine);
             InputStream in = new BufferedInputStream(getClass().getResourceAsStream("/upsample/bilinear.npz"))) {
            NDList ref = NDList.decode(m, in);
            NDArray x = ref.get("x");
            for (NDArray y : ref) {
                String name = y.getName();
                if (!name.startsWith("y_")) {
                    continue;
                }
                String[] hw = name.substring(2, name.indexOf("_ac")).split("x");
                boolean ac = name.endsWith("1");
                NDArray out = BilinearUpsample.resize(x, Integer.parseInt(hw[0]), Integer.parseInt(hw[1]), ac);
                // float32 products of float32 weights: 1e-6 relative
                NumericAssert.assertRelClose(y, out, 1e-6, engine + " " + name);
            }
            float[] w = BilinearUpsample.weights(7, 20, false);
            for (int o = 0; o < 20; o++) {
                float s = 0;
                for (int i = 0; i < 7; i++) {
                    s += w[o * 7 + i];
                }
                assertEquals(1f, s, 1e-6f);
            }
            assertArrayEquals(new float[] {1, 0, 0.5f, 0.5f, 0, 1}, BilinearUpsample.weights(2, 3, true), 1e-7f);
        }
    }
}
