package ai.wsbcn.util;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.wsbcn.norm.testing.TestEngines;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class ArrayOverwriteTest {

    private static final Shape WEIGHT = new Shape(32, 16, 3, 3);

    private static final Shape INPUT = new Shape(1, 16, 8, 8);

    /** A 3x3 convolution; in inference mode, on MXNet with MKL-DNN, it re-lays {@code w} out in place. */
    private static NDArray convolve(NDArray x, NDArray w) {
        return x.getNDArrayInternal().convolution(x, w, null, new Shape(1, 1), new Shape(1, 1), new Shape(1, 1), 1)
                .singletonOrThrow();
    }

    private static float[] ramp(int n, float scale) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (i % 97 - 48) * scale;
        }
        return v;
    }

    private static boolean mkldnn() {
        return !"0".equals(System.getenv("MXNET_MKLDNN_ENABLED"));
    }

    @Test
    void theReasonMxNetRefusesHostWritesIntoAReLaidOutWeight() {
        assumeTrue(mkldnn(), "MKL-DNN is off in this run");
        try (NDManager m = TestEngines.manager(TestEngines.MXNET)) {
            NDArray w = m.randomNormal(WEIGHT);
            convolve(m.randomNormal(INPUT), w).sum().getFloat();
            Exception e = assertThrows(Exception.class, () -> w.set(FloatBuffer.wrap(ramp(4608, 1e-3f))));
            assertTrue(e.getMessage().contains("MKLDNN"), e.getMessage());
        }
    }

    @ParameterizedTest
    @MethodSource("ai.wsbcn.norm.testing.TestEngines#names")
    void overwritesAConvolutionWeightAfterAnInferencePass(String engine) {
        try (NDManager m = TestEngines.manager(engine)) {
            NDArray x = m.randomNormal(INPUT);
            NDArray w = m.randomNormal(WEIGHT);
            w.setRequiresGradient(true);
            convolve(x, w).sum().getFloat();
            float[] values = ramp(4608, 1e-3f);
            ArrayOverwrite.floats(w, values);
            assertArrayEquals(values, w.toFloatArray(), 0f);

            // the reference: an array created with the same values, in the plain layout, never used for inference
            NDArray fresh = m.create(values, WEIGHT);
            fresh.setRequiresGradient(true);
            assertArrayEquals(convolve(x, fresh).toFloatArray(), convolve(x, w).toFloatArray(), 0f);
            // still the same trainable array: a training pass gives it the reference's gradient of sum(y * y)
            try (GradientCollector gc = m.getEngine().newGradientCollector()) {
                NDArray a = convolve(x, w);
                NDArray b = convolve(x, fresh);
                gc.backward(a.mul(a).sum().add(b.mul(b).sum()));
            }
            float[] expected = fresh.getGradient().toFloatArray();
            float scale = 0f;
            for (float g : expected) {
                scale = Math.max(scale, Math.abs(g));
            }
            // relative 1e-5: the same kernel on either layout, only float32 summation order may differ
            assertArrayEquals(expected, w.getGradient().toFloatArray(), 1e-5f * scale);
        }
    }

    @ParameterizedTest
    @MethodSource("ai.wsbcn.norm.testing.TestEngines#names")
    void copiesAcrossDataTypesAndFromRawBytes(String engine) {
        try (NDManager m = TestEngines.manager(engine)) {
            NDArray dst = m.zeros(new Shape(2, 3));
            ArrayOverwrite.from(m.create(new double[] {0.5, -1.25, 2, 3, 4, 1e-3}, new Shape(2, 3)), dst);
            assertEquals(DataType.FLOAT32, dst.getDataType());
            assertArrayEquals(new float[] {0.5f, -1.25f, 2, 3, 4, 1e-3f}, dst.toFloatArray(), 0f);

            NDArray ints = m.zeros(new Shape(3), DataType.INT64);
            ByteBuffer raw = ByteBuffer.allocateDirect(24).order(ByteOrder.nativeOrder());
            raw.putLong(7).putLong(-2).putLong(1L << 40).flip();
            ArrayOverwrite.bytes(ints, raw);
            assertArrayEquals(new long[] {7, -2, 1L << 40}, ints.toLongArray());
        }
    }

    @ParameterizedTest
    @MethodSource("ai.wsbcn.norm.testing.TestEngines#names")
    void mismatchedSizesAreRefusedWithTheShapes(String engine) {
        try (NDManager m = TestEngines.manager(engine)) {
            NDArray dst = m.zeros(new Shape(2, 3));
            Exception shape = assertThrows(IllegalArgumentException.class,
                    () -> ArrayOverwrite.from(m.zeros(new Shape(3, 2)), dst));
            assertTrue(shape.getMessage().contains("(2, 3)") && shape.getMessage().contains("(3, 2)"),
                    shape.getMessage());
            Exception count = assertThrows(IllegalArgumentException.class,
                    () -> ArrayOverwrite.floats(dst, new float[5]));
            assertTrue(count.getMessage().contains("5 values"), count.getMessage());
            Exception bytes = assertThrows(IllegalArgumentException.class,
                    () -> ArrayOverwrite.bytes(dst, ByteBuffer.allocate(8)));
            assertTrue(bytes.getMessage().contains("24 bytes"), bytes.getMessage());
        }
    }
}
