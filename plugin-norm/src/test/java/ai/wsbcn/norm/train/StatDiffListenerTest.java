package ai.wsbcn.norm.train;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.SequentialBlock;
import ai.djl.training.ParameterStore;
import ai.wsbcn.norm.ActivationProbe;
import ai.wsbcn.norm.ConvSpec;
import ai.wsbcn.norm.NormSpec;
import ai.wsbcn.norm.testing.TestEngines;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StatDiffListenerTest {

    /**
     * Hand case, (n=1, c=4, hw=2), 2 groups: group 0 has channel means 2 and 6 (std 1 each): StatDiff 2 / 1 = 2;
     * group 1 has means 0 and 0: StatDiff 0; the layer's value is the average, 1. Exact to 1e-12.
     */
    @Test
    void statDiffAndDeadChannelsByHand() {
        float[] x = {1, 3, 5, 7, 0, 0, 2, -2};
        assertEquals(1.0, ChannelStatistics.statDiff(x, 1, 4, 2, 2), 1e-12);
        assertEquals(2.0, ChannelStatistics.statDiff(new float[] {1, 3, 5, 7}, 1, 2, 2, 1), 1e-12);
        float[] y = {0.5f, 0, 0, -1, 0, 0, 0, 2};
        assertEquals(0.5, ChannelStatistics.deadFraction(y, 1, 4, 2), 1e-12, "channels 1 and 2 are dead");
    }

    @Test
    void recordsEveryNormLayerOfAForward(@TempDir Path dir) throws Exception {
        NormSpec spec = NormSpec.parse("gn(2)+ws");
        SequentialBlock net = new SequentialBlock()
                .add(spec.buildConv(ConvSpec.builder().setKernel(3).setFilters(8).optPadding(1).build()))
                .add(spec.buildNorm(8))
                .add(Activation.reluBlock())
                .add(spec.buildConv(ConvSpec.builder().setKernel(3).setFilters(4).optPadding(1).build()))
                .add(spec.buildNorm(4));
        try (NDManager m = TestEngines.manager(TestEngines.MXNET)) {
            net.initialize(m, DataType.FLOAT32, new Shape(2, 3, 6, 6));
            Path csv = dir.resolve("statdiff.csv");
            try (StatDiffListener l = new StatDiffListener(net, csv, 10)) {
                assertTrue(l.due(20));
                assertTrue(!l.due(21));
                try (ActivationProbe probe = ActivationProbe.open()) {
                    net.forward(new ParameterStore(m, false), new NDList(m.randomNormal(new Shape(2, 3, 6, 6))),
                            false);
                    assertEquals(2, probe.captures().size());
                    // an update's second micro-batch: the probe keeps the first forward of each layer only
                    net.forward(new ParameterStore(m, false), new NDList(m.randomNormal(new Shape(2, 3, 6, 6))),
                            false);
                    assertEquals(2, probe.captures().size());
                    l.record(20, probe);
                }
            }
            List<String> lines = Files.readAllLines(csv);
            assertEquals(3, lines.size(), lines.toString());
            assertTrue(lines.get(1).startsWith("20,1,"), lines.get(1));
            assertTrue(lines.get(2).startsWith("20,4,"), lines.get(2));
            // after the probe closes, forwards are not recorded
            try (ActivationProbe probe = ActivationProbe.open()) {
                probe.close();
                net.forward(new ParameterStore(m, false), new NDList(m.randomNormal(new Shape(2, 3, 6, 6))), false);
                assertEquals(0, probe.captures().size());
            }
        }
    }
}
