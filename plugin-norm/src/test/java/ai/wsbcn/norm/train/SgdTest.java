package ai.wsbcn.norm.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.wsbcn.norm.testing.TestEngines;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Two torch.optim.SGD steps computed by hand (momentum 0.9, wd 0.1 on the matrix only, lr 0.5 then 0.25). */
class SgdTest {

    @ParameterizedTest
    @MethodSource("ai.wsbcn.norm.testing.TestEngines#names")
    void matchesTorchSgdWithDecayOnlyOnMatrices(String engine) {
        try (NDManager m = TestEngines.manager(engine)) {
            Sgd sgd = Sgd.builder().setSchedule(LrSchedule.step(0.5f, 10, 0.5f, 1)).optMomentum(0.9f)
                    .optWeightDecay(0.1f).build();
            NDArray w = m.create(new float[] {1f, -2f, 3f, 0.5f}, new ai.djl.ndarray.types.Shape(2, 2));
            NDArray b = m.create(new float[] {1f, -1f});
            NDArray gw = m.create(new float[] {0.2f, 0.4f, -0.6f, 0f}, new ai.djl.ndarray.types.Shape(2, 2));
            NDArray gb = m.create(new float[] {0.5f, 0.25f});
            sgd.update("w", w, gw);
            sgd.update("b", b, gb);
            sgd.advance();
            sgd.update("w", w, gw);
            sgd.update("b", b, gb);
            // step 1: d = g + 0.1 w; buf = d; w -= 0.5 d
            // w: d = [0.3, 0.2, -0.3, 0.05] -> w1 = [0.85, -2.1, 3.15, 0.475]
            // step 2 (lr 0.25): d = g + 0.1 w1 = [0.285, 0.19, -0.285, 0.0475]; buf = 0.9 buf + d
            //   = [0.555, 0.37, -0.555, 0.0925]; w2 = w1 - 0.25 buf = [0.71125, -2.1925, 3.28875, 0.451875]
            assertArrayEquals(new float[] {0.71125f, -2.1925f, 3.28875f, 0.451875f}, w.toFloatArray(), 1e-6f);
            // b (no decay): b1 = [0.75, -1.125]; buf2 = 1.9 g = [0.95, 0.475]; b2 = b1 - 0.25 buf2
            assertArrayEquals(new float[] {0.5125f, -1.24375f}, b.toFloatArray(), 1e-6f);
        }
    }

    /** A state saved before the scales were (the plain buffers only) loads as PyTorch's buffers and steps on. */
    @ParameterizedTest
    @MethodSource("ai.wsbcn.norm.testing.TestEngines#names")
    void loadsAStateWithoutScales(String engine) throws Exception {
        try (NDManager m = TestEngines.manager(engine)) {
            ai.djl.nn.core.Linear net = ai.djl.nn.core.Linear.builder().setUnits(2).build();
            net.initialize(m, ai.djl.ndarray.types.DataType.FLOAT32, new ai.djl.ndarray.types.Shape(1, 2));
            NDArray w = net.getParameters().get("weight").getArray();
            w.set(new float[] {1f, -2f, 3f, 0.5f});
            NDArray buf = m.create(new float[] {0.5f, 0.25f, -0.5f, 1f}, new ai.djl.ndarray.types.Shape(2, 2));
            buf.setName("weight");
            byte[] arrays = new ai.djl.ndarray.NDList(buf).encode();
            java.nio.ByteBuffer state = java.nio.ByteBuffer.allocate(8 + arrays.length).putLong(7).put(arrays);
            Sgd sgd = Sgd.builder().setSchedule(LrSchedule.step(0.5f, 100, 0.5f)).optMomentum(0.9f)
                    .optWeightDecay(0f).build();
            sgd.loadState(net, m, state.array());
            assertEquals(7, sgd.updateIndex());
            sgd.update(net.getParameters().get("weight").getId(), w, m.zeros(new ai.djl.ndarray.types.Shape(2, 2)));
            // zero gradient: buf = 0.9 buf; w -= 0.5 * buf
            assertArrayEquals(new float[] {0.775f, -2.1125f, 3.225f, 0.05f}, w.toFloatArray(), 1e-6f);
        }
    }

    /**
     * Training end to end: 40 updates of a small conv + linear model under a warmup-then-cosine schedule (the rate
     * moves on every update, so MXNet's fused step rescales its buffer every time) give the same weights with the
     * fused step and with the composed one, relative error < 1e-4 (float32 rounding of the two forms).
     */
    @ParameterizedTest
    @MethodSource("ai.wsbcn.norm.testing.TestEngines#names")
    void fusedAndComposedStepsTrainTheSameModel(String engine) {
        float[] fused = train(engine, true);
        float[] composed = train(engine, false);
        double num = 0;
        double den = 0;
        for (int i = 0; i < fused.length; i++) {
            num += (fused[i] - composed[i]) * (double) (fused[i] - composed[i]);
            den += composed[i] * (double) composed[i];
        }
        double rel = Math.sqrt(num / den);
        org.junit.jupiter.api.Assertions.assertTrue(rel < 1e-4, "relative difference " + rel);
    }

    private static float[] train(String engine, boolean fused) {
        String before = System.getProperty(MomentumBuffer.FUSED_PROPERTY);
        System.setProperty(MomentumBuffer.FUSED_PROPERTY, Boolean.toString(fused));
        try (NDManager m = TestEngines.manager(engine)) {
            m.getEngine().setRandomSeed(5);
            ai.djl.nn.SequentialBlock net = new ai.djl.nn.SequentialBlock()
                    .add(ai.djl.nn.convolutional.Conv2d.builder().setKernelShape(new ai.djl.ndarray.types.Shape(3, 3))
                            .setFilters(4).build())
                    .add(ai.djl.nn.Activation::relu).add(ai.djl.nn.Blocks.batchFlattenBlock())
                    .add(ai.djl.nn.core.Linear.builder().setUnits(3).build());
            ai.djl.ndarray.types.Shape in = new ai.djl.ndarray.types.Shape(2, 1, 6, 6);
            net.initialize(m, ai.djl.ndarray.types.DataType.FLOAT32, in);
            NDArray x = m.randomNormal(in);
            NDArray y = m.create(new float[] {1, 0, 0, 0, 0, 1}, new ai.djl.ndarray.types.Shape(2, 3));
            Sgd sgd = Sgd.builder().setSchedule(LrSchedule.cosine(0.05f, 40).withWarmup(10, 0.1f)).build();
            MicroBatchTrainer t = MicroBatchTrainer.builder().setModel(net).setOptimizer(sgd).build();
            ai.djl.training.ParameterStore ps = new ai.djl.training.ParameterStore(m, false);
            for (int i = 0; i < 40; i++) {
                t.step(k -> net.forward(ps, new ai.djl.ndarray.NDList(x), true).singletonOrThrow().logSoftmax(1)
                        .mul(y).sum().neg());
            }
            java.util.List<Float> all = new java.util.ArrayList<>();
            for (ai.djl.util.Pair<String, ai.djl.nn.Parameter> p : net.getParameters()) {
                for (float v : p.getValue().getArray().toFloatArray()) {
                    all.add(v);
                }
            }
            float[] out = new float[all.size()];
            for (int i = 0; i < out.length; i++) {
                out[i] = all.get(i);
            }
            return out;
        } finally {
            if (before == null) {
                System.clearProperty(MomentumBuffer.FUSED_PROPERTY);
            } else {
                System.setProperty(MomentumBuffer.FUSED_PROPERTY, before);
            }
        }
    }
}
