package ai.wsbcn.norm;

import ai.djl.basicmodelzoo.cv.classification.ResNetV1;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.ParallelBlock;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import ai.wsbcn.norm.testing.NumericAssert;
import ai.wsbcn.norm.testing.TestEngines;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NormSwapperTest {

    private static List<Block> leaves(Block b) {
        List<Block> out = new ArrayList<>();
        if (b.getChildren().isEmpty()) {
            out.add(b);
        }
        for (Pair<String, Block> c : b.getChildren()) {
            out.addAll(leaves(c.getValue()));
        }
        return out;
    }

    private static long count(Block b, Class<?> type) {
        return leaves(b).stream().filter(type::isInstance).count();
    }

    @ParameterizedTest
    @MethodSource("ai.wsbcn.norm.testing.TestEngines#names")
    void swapsEveryBatchNormOfDjlsResNetAndStandardizesTheConvsBeforeThem(String engine) {
        try (NDManager m = TestEngines.manager(engine)) {
            Shape input = new Shape(2, 3, 32, 32);
            SequentialBlock resnet = ResNetV1.builder().setImageShape(new Shape(3, 32, 32)).setNumLayers(18)
                    .setOutSize(10).build();
            resnet.initialize(m, DataType.FLOAT32, input);
            long bns = count(resnet, BatchNorm.class);
            long convs = count(resnet, Conv2d.class);
            assertTrue(bns > 10, "ResNet-18 has many batch norms: " + bns);

            NormSwapper.Result r = NormSwapper.swap(resnet, NormSpec.parse("gn+ws"));
            Block swapped = r.block();
            assertEquals(0, count(swapped, BatchNorm.class));
            assertEquals(bns, count(swapped, GroupNorm.class));
            assertEquals(bns, r.report().count("BatchNorm", "GroupNorm"));
            long ws = count(swapped, WsConv2d.class);
            assertEquals(r.report().count("Conv2d", "WsConv2d"), ws);
            assertEquals(convs, count(swapped, Conv2d.class), "every conv is still a conv");
            assertTrue(ws > 0 && ws <= bns, "WS only where a norm follows: " + ws);

            // weights were copied: each WS conv holds the raw weight of the conv at the same place
            List<Block> oldLeaves = leaves(resnet);
            List<Block> newLeaves = leaves(swapped);
            assertEquals(oldLeaves.size(), newLeaves.size());
            int checked = 0;
            for (int i = 0; i < newLeaves.size(); i++) {
                if (newLeaves.get(i) instanceof WsConv2d) {
                    NumericAssert.assertRelClose(oldLeaves.get(i).getParameters().get("weight").getArray(),
                            newLeaves.get(i).getParameters().get("weight").getArray(), 1e-12, "copied weight " + i);
                    checked++;
                }
            }
            assertEquals(ws, checked);
            assertFalse(newLeaves.get(0) instanceof WsConv2d, "DJL's small-image stem conv has no norm after it");

            swapped.initialize(m, DataType.FLOAT32, input);
            NDArray y = swapped.forward(new ParameterStore(m, false), new NDList(m.randomNormal(input)), false)
                    .singletonOrThrow();
            assertEquals(new Shape(2, 10), y.getShape());
        }
    }

    @ParameterizedTest
    @MethodSource("ai.wsbcn.norm.testing.TestEngines#names")
    void keepsConvsWithoutAFollowingNormAndExcludedBlocksPlain(String engine) {
        SequentialBlock net = new SequentialBlock()
                .add(Conv2d.builder().setKernelShape(new Shape(3, 3)).setFilters(8).optPadding(new Shape(1, 1))
                        .build())
                .add(BatchNorm.builder().build())
                .add(Activation.reluBlock())
                .add(new SequentialBlock()
                        .add(Conv2d.builder().setKernelShape(new Shape(3, 3)).setFilters(8).build())
                        .add(BatchNorm.builder().build()))
                .add(Conv2d.builder().setKernelShape(new Shape(1, 1)).setFilters(4).build());
        NormSwapper.Result r = NormSwapper.swap(net, NormSpec.parse("bcn+ws"), Set.of("3"));
        List<Block> leaves = leaves(r.block());
        assertInstanceOf(WsConv2d.class, leaves.get(0));
        assertInstanceOf(BatchChannelNorm.class, leaves.get(1));
        assertFalse(leaves.get(3) instanceof WsConv2d, "excluded sub-block keeps its conv");
        assertInstanceOf(BatchNorm.class, leaves.get(4), "excluded sub-block keeps its norm");
        assertFalse(leaves.get(5) instanceof WsConv2d, "the logits conv has no norm after it");
        assertEquals(List.of("3"), r.report().excluded());
        assertEquals(1, r.report().count("BatchNorm", "BatchChannelNorm"));
        assertEquals(1, r.report().count("Conv2d", "WsConv2d"));
    }

    @ParameterizedTest
    @MethodSource("ai.wsbcn.norm.testing.TestEngines#names")
    void foldingWsConvAndFrozenBnGivesTheSameOutputs(String engine) {
        try (NDManager m = TestEngines.manager(engine)) {
            Shape input = new Shape(2, 4, 9, 9);
            SequentialBlock net = new SequentialBlock()
                    .add(WsConv2d.builder().setKernelShape(new Shape(3, 3)).setFilters(8).optBias(true).build())
                    .add(FrozenBatchNorm.builder().build())
                    .add(Activation.reluBlock())
                    .add(WsConv2d.builder().setKernelShape(new Shape(3, 3)).setFilters(6)
                            .optConvention(WsConvention.UNBIASED_STD).build());
            net.initialize(m, DataType.FLOAT32, input);
            Block bn = net.getChildren().get(1).getValue();
            bn.getParameters().get("weight").getArray().set(FloatBuffer.wrap(m.randomUniform(0.5f, 2f,
                    new Shape(8)).toFloatArray()));
            bn.getParameters().get("bias").getArray().set(FloatBuffer.wrap(m.randomNormal(new Shape(8))
                    .toFloatArray()));
            bn.getParameters().get("running_mean").getArray().set(FloatBuffer.wrap(m.randomNormal(new Shape(8))
                    .toFloatArray()));
            bn.getParameters().get("running_var").getArray().set(FloatBuffer.wrap(m.randomUniform(0.1f, 3f,
                    new Shape(8)).toFloatArray()));
            NDArray x = m.randomNormal(input);
            NDArray expected = net.forward(new ParameterStore(m, false), new NDList(x), false).singletonOrThrow();
            Block folded = NormSwapper.fold(net, m);
            List<Block> leaves = leaves(folded);
            assertEquals(3, leaves.size(), "conv+bn became one conv");
            assertTrue(leaves.stream().noneMatch(b -> b instanceof WsConv2d || b instanceof FrozenBatchNorm));
            NDArray actual = folded.forward(new ParameterStore(m, false), new NDList(x), false).singletonOrThrow();
            assertArrayEquals(expected.getShape().getShape(), actual.getShape().getShape());
            NumericAssert.assertRelClose(expected, actual, 1e-5, "folded output");
        }
    }

    /**
     * A trained DJL batch norm swapped for frozen BN (or BN) keeps its affine and statistics: the inference output of
     * the swapped model equals the original's (DJL's BatchNorm in inference uses the same eps, 1e-5). Tolerance 1e-5
     * relative.
     */
    @ParameterizedTest
    @MethodSource("ai.wsbcn.norm.testing.TestEngines#names")
    void aBatchNormSwappedForFrozenBnKeepsWhatItLearnt(String engine) {
        try (NDManager m = TestEngines.manager(engine)) {
            Shape input = new Shape(2, 3, 8, 8);
            SequentialBlock net = new SequentialBlock()
                    .add(Conv2d.builder().setKernelShape(new Shape(3, 3)).setFilters(6).build())
                    .add(BatchNorm.builder().build())
                    .add(Activation.reluBlock());
            net.initialize(m, DataType.FLOAT32, input);
            Block bn = net.getChildren().get(1).getValue();
            float[][] values = {m.randomUniform(0.5f, 2f, new Shape(6)).toFloatArray(),
                m.randomNormal(new Shape(6)).toFloatArray(), m.randomNormal(new Shape(6)).toFloatArray(),
                m.randomUniform(0.1f, 3f, new Shape(6)).toFloatArray()};
            String[] djlNames = {"gamma", "beta", "runningMean", "runningVar"};
            for (int i = 0; i < 4; i++) {
                bn.getParameters().get(djlNames[i]).getArray().set(FloatBuffer.wrap(values[i]));
            }
            NDArray x = m.randomNormal(input);
            NDArray expected = net.forward(new ParameterStore(m, false), new NDList(x), false).singletonOrThrow();
            for (String spec : List.of("frozen-bn", "frozen-bn+ws", "bn")) {
                NormSwapper.Result r = NormSwapper.swap(net, NormSpec.parse(spec));
                assertEquals(1, r.report().counts().get("statistics kept"), r.report().toString());
                Block swapped = r.block();
                swapped.initialize(m, DataType.FLOAT32, input); // as a user must; the copied values survive it
                Block norm = swapped.getChildren().get(1).getValue();
                assertArrayEquals(values[3], norm.getParameters().get("running_var").getArray().toFloatArray(),
                        spec);
                if (!spec.contains("ws")) { // WS changes the conv itself
                    NDArray actual = swapped.forward(new ParameterStore(m, false), new NDList(x), false)
                            .singletonOrThrow();
                    NumericAssert.assertRelClose(expected, actual, 1e-5, spec + " output");
                }
            }
            // GN normalises otherwise: its layer starts from the default affine
            Block gn = NormSwapper.swap(net, NormSpec.parse("gn")).block().getChildren().get(1).getValue();
            assertFalse(gn.isInitialized(), "gn starts afresh");
        }
    }

    @ParameterizedTest
    @MethodSource("ai.wsbcn.norm.testing.TestEngines#names")
    void excludedPathsMustNameBlocksAndWorkInsideParallelBranches(String engine) {
        SequentialBlock branch = new SequentialBlock()
                .add(Conv2d.builder().setKernelShape(new Shape(1, 1)).setFilters(4).build())
                .add(BatchNorm.builder().build());
        SequentialBlock other = new SequentialBlock()
                .add(Conv2d.builder().setKernelShape(new Shape(1, 1)).setFilters(4).build())
                .add(BatchNorm.builder().build());
        SequentialBlock net = new SequentialBlock().add(new ParallelBlock(l -> l.get(0), List.of(branch, other)));
        NormSwapper.Result r = NormSwapper.swap(net, NormSpec.parse("gn+ws"), Set.of("0.1"));
        List<Block> leaves = leaves(r.block());
        assertInstanceOf(WsConv2d.class, leaves.get(0));
        assertInstanceOf(GroupNorm.class, leaves.get(1));
        assertInstanceOf(BatchNorm.class, leaves.get(3), "the excluded branch, named as BlockPaths names it");
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> NormSwapper.swap(net, NormSpec.parse("gn"), Set.of("0.SequentialBlock")));
        assertTrue(e.getMessage().contains("[0.SequentialBlock] name no block") && e.getMessage().contains("0.1"),
                e.getMessage());
    }
}
