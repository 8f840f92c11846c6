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

    /** An inference-mode 3x3 convolution with {@code w}: on MXNet with MKL-DNN it re-lays {@code w} out in place. */
    private static NDArray convolve(NDManager m, NDArray w) {
        NDArray x = m.randomNormal(new Shape(1, 16, 8, 8));
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
            convolve(m, w).sum().getFloat();
            Exception e = assertThrows(Exception.class, () -> w.set(FloatBuffer.wrap(ramp(4608, 1e-3f))));
            assertTrue(e.getMessage().contains("MKLDNN"), e.getMessage());
        }
    }

    @ParameterizedTest
    @MethodSource("ai.wsbcn.norm.testing.TestEngines#names")
    void overwritesAConvolutionWeightAfterAnInferencePass(String engine) {
        try (NDManager m = TestEngines.manager(engine)) {
            NDArray w = m.randomNormal(WEIGHT);
            w.setRequiresGradient(true);
            convolve(m, w).sum().getFloat();
            float[] values = ramp(4608, 1e-3f);
            ArrayOverwrite.floats(w, values);
            assertArrayEquals(values, w.toFloatArray(), 0f);
            // the array is still the same trainable parameter: a training pass gives it the gradient of sum(conv)
            NDArray fresh = m.create(values, WEIGHT);
            try (GradientCollector gc = m.getEngine().newGradientCollector()) {
                gc.backward(convolve(m, w).sum());
            }
            NDArray x = m.randomNormal(new Shape(1, 16, 8, 8));
            assertEquals(w.getShape(), w.getGradient().getShape());
            // same weights, same outputs: compare the overwritten array against a freshly created one
            NDArray a = x.getNDArrayInternal().convolution(x, w, null, new Shape(1, 1), new Shape(1, 1),
                    new Shape(1, 1), 1).singletonOrThrow();
            NDArray b = x.getNDArrayInternal().convolution(x, fresh, null, new Shape(1, 1), new Shape(1, 1),
                    new Shape(1, 1), 1).singletonOrThrow();
            assertArrayEquals(b.toFloatArray(), a.toFloatArray(), 0f);
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
