package ai.wsbcn.norm.train;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.wsbcn.norm.FrozenBatchNorm;
import ai.wsbcn.norm.testing.TestEngines;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;

class TrainableGradientsTest {

    /** Loading parameters swaps in arrays without gradients; attach gives the trainable ones theirs back. */
    @ParameterizedTest
    @MethodSource("ai.wsbcn.norm.testing.TestEngines#names")
    void trainableArraysGetGradientsFrozenOnesDoNot(String engine) throws Exception {
        try (NDManager m = TestEngines.manager(engine)) {
            SequentialBlock net = new SequentialBlock()
                    .add(Conv2d.builder().setKernelShape(new Shape(1, 1)).setFilters(2).build())
                    .add(FrozenBatchNorm.builder().build());
            net.initialize(m, DataType.FLOAT32, new Shape(1, 2, 3, 3));
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            net.saveParameters(new DataOutputStream(bytes));
            net.loadParameters(m, new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
            var weight = net.getParameters().get("01Conv2d_weight").getArray();
            assertFalse(weight.hasGradient(), "loaded arrays come without gradients");
            TrainableGradients.attach(net);
            assertTrue(net.getParameters().get("01Conv2d_weight").getArray().hasGradient());
            assertFalse(net.getParameters().get("02FrozenBatchNorm_running_mean").getArray().hasGradient());
        }
    }
}
