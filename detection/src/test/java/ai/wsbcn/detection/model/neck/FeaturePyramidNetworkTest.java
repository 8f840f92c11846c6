package ai.wsbcn.detection.model.neck;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.wsbcn.norm.BlockPaths;
import ai.wsbcn.norm.GroupNorm;
import ai.wsbcn.norm.NormSpec;
import ai.wsbcn.norm.WsConv2d;
import ai.wsbcn.norm.testing.TestEngines;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** FPN: torchvision names, shapes P2..P6, norm placement, nearest upsampling, LastLevelMaxPool, init. */
class FeaturePyramidNetworkTest {

    private static final int[] IN = {8, 16, 32, 64};

    private static Shape[] inputs() {
        return new Shape[] {new Shape(2, 8, 16, 24), new Shape(2, 16, 8, 12), new Shape(2, 32, 4, 6),
            new Shape(2, 64, 2, 3)};
    }

    @ParameterizedTest
    @ValueSource(strings = {"frozen-bn", "gn+ws"})
    void namesFollowTorchvision(String norm) {
        FeaturePyramidNetwork fpn = new FeaturePyramidNetwork(NormSpec.parse(norm), IN, 16);
        try (NDManager m = NDManager.newBaseManager(TestEngines.MXNET)) {
            fpn.initialize(m, DataType.FLOAT32, inputs());
            Map<String, Parameter> p = BlockPaths.parameters(fpn);
            boolean gn = norm.startsWith("gn");
            for (int i = 0; i < 4; i++) {
                assertEquals(new Shape(16, IN[i], 1, 1), p.get("inner_blocks." + i + ".0.weight").getArray().getShape());
                assertEquals(new Shape(16, 16, 3, 3), p.get("layer_blocks." + i + ".0.weight").getArray().getShape());
                // torchvision Conv2dNormActivation: bias only without a norm layer
                assertEquals(!gn, p.containsKey("inner_blocks." + i + ".0.bias"), p.keySet().toString());
                assertEquals(gn, p.containsKey("layer_blocks." + i + ".1.weight"), p.keySet().toString());
            }
            assertEquals(gn ? 8 * 3 : 8 * 2, p.size(), p.keySet().toString());
            var blocks = BlockPaths.blocks(fpn);
            if (gn) {
                assertInstanceOf(WsConv2d.class, blocks.get("inner_blocks.0.0"));
                assertInstanceOf(GroupNorm.class, blocks.get("layer_blocks.3.1"));
            }
            // kaiming_uniform(a=1): U(+-sqrt(3/fan_in)); biases 0
            float bound = (float) Math.sqrt(3.0 / (16 * 9));
            NDArray w = p.get("layer_blocks.0.0.weight").getArray();
            assertTrue(w.abs().max().getFloat() <= bound + 1e-6f);
            assertTrue(w.abs().max().getFloat() > 0.8f * bound);
            if (!gn) {
                assertEquals(0f, p.get("inner_blocks.2.0.bias").getArray().abs().sum().getFloat());
            }
        }
    }

    @ParameterizedTest
    @MethodSource("ai.wsbcn.norm.testing.TestEngines#names")
    void forwardShapesAndTopDownPath(String engine) {
        try (NDManager m = TestEngines.manager(engine)) {
            FeaturePyramidNetwork fpn = new FeaturePyramidNetwork(NormSpec.parse("frozen-bn"), IN, 16);
            fpn.initialize(m, DataType.FLOAT32, inputs());
            NDList x = new NDList();
            for (Shape s : inputs()) {
                x.add(m.randomNormal(s));
            }
            NDList out = fpn.forward(new ParameterStore(m, false), x, false);
            assertEquals(5, out.size());
            long[][] hw = {{16, 24}, {8, 12}, {4, 6}, {2, 3}, {1, 2}};
            for (int l = 0; l < 5; l++) {
                assertEquals(new Shape(2, 16, hw[l][0], hw[l][1]), out.get(l).getShape(), "level " + l);
            }
            // P6 = P5[..., ::2, ::2] (max-pool kernel 1 stride 2)
            float[] p5 = out.get(3).toFloatArray();
            float[] p6 = out.get(4).toFloatArray();
            for (int c = 0; c < 32; c++) { // (n, ch) pairs
                assertEquals(p5[c * 6], p6[c * 2], 1e-6f);
                assertEquals(p5[c * 6 + 2], p6[c * 2 + 1], 1e-6f);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("ai.wsbcn.norm.testing.TestEngines#names")
    void nearestUpsampleMatchesTorchInterpolate(String engine) {
        try (NDManager m = TestEngines.manager(engine)) {
            NDArray x = m.arange(6f).reshape(1, 1, 2, 3);
            float[] up = FeaturePyramidNetwork.upsampleNearest(x, 4, 6).toFloatArray();
            float[] expected = {0, 0, 1, 1, 2, 2, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 3, 3, 4, 4, 5, 5};
            assertEquals(List.of(box(expected)), List.of(box(up)));
            // non-integer ratio 2 -> 3 rows: floor(dst * 2/3) = 0, 0, 1
            float[] odd = FeaturePyramidNetwork.upsampleNearest(x, 3, 3).toFloatArray();
            assertEquals(List.of(box(new float[] {0, 1, 2, 0, 1, 2, 3, 4, 5})), List.of(box(odd)));
        }
    }

    private static Float[] box(float[] v) {
        Float[] out = new Float[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = v[i];
        }
        return out;
    }
}
