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
}
