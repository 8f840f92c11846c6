package ai.wsbcn.detection.model.roi;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2dTranspose;
import ai.djl.training.ParameterStore;
import ai.wsbcn.norm.testing.NumericAssert;
import ai.wsbcn.norm.testing.TestEngines;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The matmul transposed convolution equals MXNet's own {@code Deconvolution} (DJL Conv2dTranspose, same weight
 * layout as torch) with the same weights; tolerance 1e-5 relative. And a hand case on PyTorch.
 */
class TransposedConv2x2Test {

    @Test
    void equalsMxnetDeconvolution() {
        try (NDManager m = NDManager.newBaseManager(TestEngines.MXNET)) {
            // in = out channels: DJL declares the weight as (out, in, k, k) but MXNet reads (in, out, k, k) (= torch)
            Shape in = new Shape(2, 4, 4, 5);
            TransposedConv2x2 mine = new TransposedConv2x2(4);
            mine.initialize(m, DataType.FLOAT32, in);
            mine.getParameters().get("bias").getArray().set(m.randomNormal(new Shape(4)).toFloatArray());
            Conv2dTranspose ref = Conv2dTranspose.builder().setKernelShape(new Shape(2, 2)).setFilters(4)
                    .optStride(new Shape(2, 2)).build();
            ref.initialize(m, DataType.FLOAT32, in);
            assertEquals(new Shape(4, 4, 2, 2), mine.getParameters().get("weight").getArray().getShape());
            ref.getParameters().get("weight").getArray().set(
                    mine.getParameters().get("weight").getArray().toFloatArray());
            ref.getParameters().get("bias").getArray().set(mine.getParameters().get("bias").getArray().toFloatArray());
            NDArray x = m.randomNormal(in);
            ParameterStore ps = new ParameterStore(m, false);
            NDArray expected = ref.forward(ps, new NDList(x), false).singletonOrThrow();
            NDArray actual = mine.forward(ps, new NDList(x), false).singletonOrThrow();
            assertEquals(new Shape(2, 4, 8, 10), actual.getShape());
            NumericAssert.assertRelClose(expected, actual, 1e-5, "deconvolution");
        }
    }

    @Test
    void handCaseOnPyTorch() {
        try (NDManager m = NDManager.newBaseManager(TestEngines.PYTORCH)) {
            TransposedConv2x2 t = new TransposedConv2x2(1);
            t.initialize(m, DataType.FLOAT32, new Shape(1, 1, 1, 2));
            t.getParameters().get("weight").getArray().set(new float[] {1, 2, 3, 4});
            t.getParameters().get("bias").getArray().set(new float[] {0.5f});
            NDArray x = m.create(new float[] {1, 10}, new Shape(1, 1, 1, 2));
            float[] y = t.forward(new ParameterStore(m, false), new NDList(x), false).singletonOrThrow()
                    .toFloatArray();
            // 2x4 output: pixel x0 -> [[1,2],[3,4]] * 1, pixel x1 -> * 10, + 0.5
            float[] expected = {1.5f, 2.5f, 10.5f, 20.5f, 3.5f, 4.5f, 30.5f, 40.5f};
            for (int i = 0; i < 8; i++) {
                assertEquals(expected[i], y[i], 1e-5f);
            }
        }
    }
}
