package ai.wsbcn.video.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.ConstantInitializer;
import ai.djl.training.initializer.XavierInitializer;
import ai.djl.util.Pair;
import ai.wsbcn.norm.ConvNorm;
import ai.wsbcn.norm.train.TransientArrays;
import ai.wsbcn.norm.testing.TestEngines;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Where the shift sits and what it connects: the shortcut carries the unshifted input (residual placement), a frame
 * influences only its neighbours in the same clip through the shift, and without the shift (TSN) frames are
 * independent. Inference mode, so batch norm uses running statistics and frames do not interact through it.
 */
class TsmNetworkTest {

    @ParameterizedTest
    @MethodSource("ai.wsbcn.norm.testing.TestEngines#names")
    void shortcutCarriesTheUnshiftedInput(String engine) {
        try (NDManager m = TestEngines.manager(engine)) {
            TemporalShift shift = TemporalShift.builder().optNSegment(4).optFoldDiv(4).build();
            ResidualUnit unit = ResidualUnit.create(ConvNorm.djlBatchNorm(), 8, 8, false, 1, shift);
            // a zero branch: the unit's output must then be relu(x) exactly, i.e. x itself was not shifted
            unit.setInitializer(new ConstantInitializer(0f), Parameter.Type.WEIGHT);
            unit.initialize(m, DataType.FLOAT32, new Shape(8, 8, 3, 3));
            NDArray x = m.randomNormal(new Shape(8, 8, 3, 3));
            NDArray y = unit.forward(new ParameterStore(m, false), new NDList(x), false).singletonOrThrow();
            assertArrayEquals(x.maximum(0f).toFloatArray(), y.toFloatArray(), 1e-6f);
        }
    }

    @ParameterizedTest
    @MethodSource("ai.wsbcn.norm.testing.TestEngines#names")
    void shiftConnectsNeighbouringFramesOfOneClipOnly(String engine) {
        int t = 4;
        float[][] tsm = frameInfluence(engine, true, t);
        float[][] tsn = frameInfluence(engine, false, t);
        // perturbing frame 1 of clip 0 (global frame 1)
        for (int f = 0; f < 2 * t; f++) {
            boolean self = f == 1;
            assertEquals(self, tsn[1][f] > 0, "TSN: frame " + f + " change " + tsn[1][f]);
            boolean sameClip = f < t;
            // ResNet-8 has three shifting units: within a clip of 4 every frame is reached (|f - 1| <= 3)
            assertEquals(sameClip, tsm[1][f] > 0, "TSM: frame " + f + " change " + tsm[1][f]);
        }
        // perturbing the first frame of clip 1 (global 4) never reaches clip 0, whose last frame is its neighbour
        for (int f = 0; f < t; f++) {
            assertEquals(0f, tsm[t][f], "clip 0 frame " + f + " changed by clip 1");
        }
        assertTrue(tsm[t][t + 1] > 0, "frame 5 should see frame 4");
    }

    /** change[p][f]: max abs change of frame f's pooled features when input frame p is perturbed. */
    private static float[][] frameInfluence(String engine, boolean shift, int t) {
        try (NDManager m = TestEngines.manager(engine)) {
            TsmNetwork net = TsmNetwork.builder().setClasses(3).setConvNorm(ConvNorm.djlBatchNorm())
                    .optArchitecture(TsmArchitecture.parse("resnet8w8")).optSegments(t).optShift(shift).build();
            net.setInitializer(new XavierInitializer(), Parameter.Type.WEIGHT);
            net.initialize(m, DataType.FLOAT32, new Shape(2, t, 3, 12, 12));
            Block backbone = net.backbone();
            NDArray x = m.randomUniform(0, 1, new Shape(2 * t, 3, 12, 12));
            NDArray base = features(backbone, m, x);
            float[][] change = new float[2 * t][2 * t];
            for (int p : List.of(1, t)) {
                NDArray x2 = x.duplicate();
                x2.set(new ai.djl.ndarray.index.NDIndex(p), m.randomUniform(0, 1, new Shape(3, 12, 12)));
                NDArray d = features(backbone, m, x2).sub(base).abs().max(new int[] {1});
                change[p] = d.toFloatArray();
            }
            return change;
        }
    }

    private static NDArray features(Block backbone, NDManager m, NDArray frames) {
        return backbone.forward(new ParameterStore(m, false), new NDList(frames), false).singletonOrThrow();
    }

    /** Inference forwards leave nothing in the model's manager (the layers keep what they derive with the call). */
    @ParameterizedTest
    @MethodSource("ai.wsbcn.norm.testing.TestEngines#names")
    void forwardsLeaveNothingInTheModelsManager(String engine) {
        for (String norm : new String[] {"gn+ws", "bcn+ws", "frozen-bn"}) {
            try (NDManager m = TestEngines.manager(engine)) {
                TsmNetwork net = TsmNetwork.builder().setClasses(5).setConvNorm(ConvNorm.parse(norm))
                        .optArchitecture(TsmArchitecture.parse("resnet8w8")).optSegments(4).build();
                net.initialize(m, DataType.FLOAT32, new Shape(2, 4, 3, 8, 8));
                TransientArrays counter = new TransientArrays(m);
                int before = -1;
                for (int call = 0; call < 3; call++) {
                    try (NDManager sub = m.newSubManager()) {
                        net.forward(new ParameterStore(sub, false),
                                new NDList(sub.randomUniform(0, 1, new Shape(2, 4, 3, 8, 8))), false);
                    }
                    if (call == 0) {
                        before = counter.directCount();
                    }
                }
                assertEquals(before, counter.directCount(), engine + " " + norm);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("ai.wsbcn.norm.testing.TestEngines#names")
    void clipScoresAreTheMeanOfFrameScores(String engine) {
        try (NDManager m = TestEngines.manager(engine)) {
            TsmNetwork net = TsmNetwork.builder().setClasses(5).setConvNorm(ConvNorm.djlBatchNorm())
                    .optArchitecture(TsmArchitecture.parse("resnet8w8")).optSegments(4).build();
            net.setInitializer(new XavierInitializer(), Parameter.Type.WEIGHT);
            net.initialize(m, DataType.FLOAT32, new Shape(2, 4, 3, 8, 8));
            NDArray clips = m.randomUniform(0, 1, new Shape(2, 4, 3, 8, 8));
            ParameterStore ps = new ParameterStore(m, false);
            NDArray out = net.forward(ps, new NDList(clips), false).singletonOrThrow();
            assertArrayEquals(new long[] {2, 5}, out.getShape().getShape());
            NDArray feat = net.backbone().forward(ps, new NDList(clips.reshape(8, 3, 8, 8)), false)
                    .singletonOrThrow();
            NDArray w = null;
            NDArray b = null;
            for (Pair<String, Parameter> p : net.classifier().getParameters()) {
                if (p.getKey().equals("weight")) {
                    w = p.getValue().getArray();
                } else {
                    b = p.getValue().getArray();
                }
            }
            NDArray frameScores = feat.matMul(w.transpose()).add(b).reshape(2, 4, 5).mean(new int[] {1});
            assertArrayEquals(frameScores.toFloatArray(), out.toFloatArray(), 1e-5f);
        }
    }
}
