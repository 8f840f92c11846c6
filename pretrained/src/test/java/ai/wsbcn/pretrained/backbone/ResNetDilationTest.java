package ai.wsbcn.pretrained.backbone;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.convolutional.Convolution;
import ai.djl.training.ParameterStore;
import ai.wsbcn.norm.BlockPaths;
import ai.wsbcn.norm.testing.TestEngines;
import ai.wsbcn.util.InvalidInputException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Map;

/**
 * Strided vs dilated ResNets: C2..C5 shapes at output stride 32/16/8 and the dilation of every 3x3 convolution,
 * hand-derived from torchvision's {@code replace_stride_with_dilation} rule (a dilated stage's first unit keeps the
 * previous rate, the others take the new one) and DeepLab v3 multi-grid (unit i of the last stage: rate * grid[i]).
 * The numerical agreement with torchvision for os8 and os16+multi-grid is in ResNetBackboneReferenceTest.
 */
class ResNetDilationTest {

    @ParameterizedTest(name = "resnet50 os{0}")
    @CsvSource({"32, 16 8 4 2, 4 8 16 32", "16, 16 8 4 4, 4 8 16 16", "8, 16 8 8 8, 4 8 8 8"})
    void featureShapesFollowTheOutputStride(int os, String sizes, String strides) {
        ResNet net = ResNets.builder().setArch("resnet50").setNorm("gn+ws").optFeatures(true).optOutputStride(os)
                .build();
        Shape[] out = net.getOutputShapes(new Shape[] {new Shape(2, 3, 64, 64)});
        int[] expectedSize = ints(sizes);
        int[] channels = {256, 512, 1024, 2048};
        assertEquals(4, out.length);
        for (int i = 0; i < 4; i++) {
            assertEquals(new Shape(2, channels[i], expectedSize[i], expectedSize[i]), out[i], "C" + (i + 2));
        }
        assertArrayEquals(ints(strides), net.featureStrides());
        assertArrayEquals(channels, net.featureChannels());
        assertEquals(ints(strides)[3], net.outputStride());
    }

    @Test
    void bottleneckDilationsAtOutputStride8() {
        ResNet net = ResNets.builder().setArch("resnet50").setNorm("bn").optFeatures(true).optOutputStride(8).build();
        Map<String, Block> blocks = BlockPaths.blocks(net);
        assertEquals(1, dilation(blocks, "layer2.0.conv2"));
        assertEquals(1, dilation(blocks, "layer3.0.conv2"));
        assertEquals(1, stride(blocks, "layer3.0.conv2"));
        assertEquals(1, stride(blocks, "layer3.0.downsample.0"));
        assertEquals(2, dilation(blocks, "layer3.5.conv2"));
        assertEquals(2, dilation(blocks, "layer4.0.conv2"));
        assertEquals(4, dilation(blocks, "layer4.2.conv2"));
        assertEquals(1, dilation(blocks, "layer4.2.conv1"));
        assertArrayEquals(new int[] {1, 1, 2, 4}, net.stageDilations());
    }

    @Test
    void multiGridScalesTheLastStage() {
        ResNet net = ResNets.builder().setArch("resnet101").setNorm("gn+ws").optFeatures(true).optOutputStride(8)
                .optMultiGrid(1, 2, 4).build();
        Map<String, Block> blocks = BlockPaths.blocks(net);
        assertEquals(4, dilation(blocks, "layer4.0.conv2"));
        assertEquals(8, dilation(blocks, "layer4.1.conv2"));
        assertEquals(16, dilation(blocks, "layer4.2.conv2"));
        assertEquals(2, dilation(blocks, "layer3.22.conv2"));
        // padding = dilation keeps the spatial size
        assertEquals(16, ((Convolution) blocks.get("layer4.2.conv2")).getPadding().get(0));
    }

    @Test
    void basicBlocksDilateLikeTheStridedNetwork() {
        ResNet net = ResNets.builder().setArch("resnet18").setNorm("gn+ws").optFeatures(true).optOutputStride(16)
                .build();
        Map<String, Block> blocks = BlockPaths.blocks(net);
        assertEquals(1, dilation(blocks, "layer4.0.conv1"));
        assertEquals(1, stride(blocks, "layer4.0.conv1"));
        assertEquals(2, dilation(blocks, "layer4.0.conv2"));
        assertEquals(2, dilation(blocks, "layer4.1.conv1"));
        assertEquals(2, dilation(blocks, "layer4.1.conv2"));
    }

    @ParameterizedTest
    @MethodSource("ai.wsbcn.norm.testing.TestEngines#names")
    void forwardShapesEqualDeclaredShapes(String engine) {
        try (NDManager manager = TestEngines.manager(engine)) {
            for (int os : new int[] {32, 16, 8}) {
                ResNet net = ResNets.builder().setArch("resnet18").setNorm("gn+ws").optFeatures(true)
                        .optOutputStride(os).optWidth(8).optStemChannels(8).build();
                Shape input = new Shape(1, 3, 64, 40);
                net.initialize(manager, DataType.FLOAT32, input);
                NDList maps = net.forward(new ParameterStore(manager, false),
                        new NDList(manager.randomNormal(input)), false);
                Shape[] declared = net.getOutputShapes(new Shape[] {input});
                for (int i = 0; i < 4; i++) {
                    assertEquals(declared[i], maps.get(i).getShape(), "os" + os + " C" + (i + 2));
                }
                long expectedC5 = 64 / os; // sizes that halve exactly; odd ones round up like torch
                assertEquals(expectedC5, maps.get(3).getShape().get(2), "os" + os + " C5 height");
            }
        }
    }

    @Test
    void impossibleSettingsAreRefusedWithTheReason() {
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> ResNets.builder().setArch("resnet50").setNorm("bn").optOutputStride(12).build());
        assertEquals(true, e.getMessage().contains("output stride 12"), e.getMessage());
        e = assertThrows(InvalidInputException.class, () -> ResNets.builder().setArch("resnet50").setNorm("bn")
                .optOutputStride(16).optMultiGrid(1, 2).build());
        assertEquals(true, e.getMessage().contains("multi-grid"), e.getMessage());
        e = assertThrows(InvalidInputException.class, () -> ResNets.builder().setArch("resnet51").setNorm("bn"));
        assertEquals(true, e.getMessage().contains("resnext50_32x4d"), e.getMessage());
        e = assertThrows(InvalidInputException.class, () -> ResNets.builder().setArch("resnet18").setNorm("gn+wz"));
        assertEquals(true, e.getMessage().contains("gn+wz"), e.getMessage());
    }

    private static int dilation(Map<String, Block> blocks, String path) {
        return (int) ((Convolution) blocks.get(path)).getDilation().get(0);
    }

    private static int stride(Map<String, Block> blocks, String path) {
        return (int) ((Convolution) blocks.get(path)).getStride().get(0);
    }

    private static int[] ints(String s) {
        String[] parts = s.trim().split(" ");
        int[] out = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            out[i] = Integer.parseInt(parts[i]);
        }
        return out;
    }
}
