package ai.wsbcn.pretrained.backbone;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.wsbcn.norm.BatchNorm2d;
import ai.wsbcn.norm.BlockPaths;
import ai.wsbcn.norm.FrozenBatchNorm;
import ai.wsbcn.norm.GroupNorm;
import ai.wsbcn.norm.testing.TestEngines;
import ai.wsbcn.util.InvalidInputException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Freezing the stem and the first stages: which parameters are frozen, that batch norm becomes frozen batch norm
 * there (GN stays GN), and that a training step gives gradients to the rest only and leaves frozen statistics alone.
 */
class ResNetFreezeTest {

    private static ResNet tiny(String norm, int freezeAt) {
        return ResNets.builder().setArch("resnet18").setNorm(norm).optFreezeAt(freezeAt).optWidth(8)
                .optStemChannels(8).optNumClasses(3).build();
    }

    @Test
    void frozenPartsAreTheStemAndTheFirstStages() {
        ResNet net = tiny("bn", 2);
        Map<String, Block> blocks = BlockPaths.blocks(net);
        assertInstanceOf(FrozenBatchNorm.class, blocks.get("bn1"));
        assertInstanceOf(FrozenBatchNorm.class, blocks.get("layer1.1.bn2"));
        assertInstanceOf(BatchNorm2d.class, blocks.get("layer2.0.bn1"));
        assertInstanceOf(BatchNorm2d.class, blocks.get("layer2.0.downsample.1"));
        Set<String> prefixes = new TreeSet<>();
        for (String name : net.frozenParameters().keySet()) {
            prefixes.add(name.substring(0, name.indexOf('.')));
            assertFalse(net.frozenParameters().get(name).requiresGradient(), name);
        }
        assertEquals(Set.of("bn1", "conv1", "layer1"), prefixes);
        for (String name : net.trainableParameters().keySet()) {
            assertFalse(net.isFrozenName(name), name);
            assertFalse(name.endsWith("running_mean") || name.endsWith("running_var"), name);
        }
        assertTrue(net.trainableParameters().containsKey("layer2.0.conv1.weight"));
        assertTrue(net.trainableParameters().containsKey("fc.bias"));

        ResNet gn = tiny("gn+ws", 1);
        assertInstanceOf(GroupNorm.class, BlockPaths.blocks(gn).get("bn1"));
        assertEquals(Set.of("conv1.weight", "bn1.weight", "bn1.bias"), gn.frozenParameters().keySet());
        assertTrue(gn.trainableParameters().containsKey("layer1.0.bn1.weight"));
        assertEquals(0, tiny("gn", 0).frozenParameters().size());
    }

    @ParameterizedTest
    @MethodSource("ai.wsbcn.norm.testing.TestEngines#names")
    void trainingStepLeavesFrozenPartsAlone(String engine) {
        try (NDManager manager = TestEngines.manager(engine)) {
            ResNet net = tiny("bn", 3);
            Shape input = new Shape(2, 3, 32, 32);
            net.initialize(manager, DataType.FLOAT32, input);
            Map<String, Parameter> params = net.namedParameters();
            // non-trivial statistics, so that a frozen BN that moved them would be noticed
            params.get("layer2.0.bn1.running_mean").getArray().set(new float[8 * 2]);
            NDArray frozenMeanBefore = params.get("layer2.0.bn1.running_mean").getArray().duplicate();
            NDArray liveMeanBefore = params.get("layer3.0.bn1.running_mean").getArray().duplicate();
            NDArray x = manager.randomNormal(input);
            try (GradientCollector gc = manager.getEngine().newGradientCollector()) {
                NDArray logits = net.forward(new ParameterStore(manager, false), new NDList(x), true)
                        .singletonOrThrow();
                gc.backward(logits.square().sum());
            }
            for (Map.Entry<String, Parameter> e : net.trainableParameters().entrySet()) {
                NDArray g = e.getValue().getArray().getGradient();
                assertTrue(g.abs().sum().getFloat() > 0f, "gradient of " + e.getKey());
            }
            for (Map.Entry<String, Parameter> e : net.frozenParameters().entrySet()) {
                assertFalse(e.getValue().getArray().hasGradient(), "frozen " + e.getKey() + " has a gradient");
            }
            assertEquals(frozenMeanBefore, params.get("layer2.0.bn1.running_mean").getArray(),
                    "frozen BN statistics moved");
            assertFalse(liveMeanBefore.contentEquals(params.get("layer3.0.bn1.running_mean").getArray()),
                    "live BN statistics did not move");
        }
    }

    @Test
    void freezeAtOutOfRangeIsRefused() {
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> tiny("bn", 6));
        assertTrue(e.getMessage().contains("freeze-at"), e.getMessage());
        assertThrows(InvalidInputException.class, () -> tiny("bn", -1));
    }
}
