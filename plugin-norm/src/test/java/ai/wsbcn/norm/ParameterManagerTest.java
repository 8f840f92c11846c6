package ai.wsbcn.norm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.wsbcn.norm.testing.TestEngines;
import ai.wsbcn.norm.train.BcnRates;
import ai.wsbcn.norm.train.TransientArrays;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;

/**
 * A forward leaves nothing in the manager that holds the parameters: DJL attaches an op's result to its first
 * operand's manager, so an op that starts from a parameter (standardising a weight, a scale from BN statistics)
 * would add an array to the model's long-lived manager on every call, and an inference loop of DJL Predictors
 * (one manager per call) would grow without bound.
 */
class ParameterManagerTest {

    private static final List<String> NORMS = List.of("frozen-bn", "bn", "gn", "gn+ws", "bcn", "bcn+ws", "bn+ws",
            "bcn(4)+ws");

    @ParameterizedTest
    @MethodSource("ai.wsbcn.norm.testing.TestEngines#names")
    void forwardsLeaveNothingInTheParametersManager(String engine) {
        List<String> leaks = new ArrayList<>();
        for (String norm : NORMS) {
            for (boolean training : new boolean[] {false, true}) {
                try (NDManager model = TestEngines.manager(engine)) {
                    NormSpec spec = NormSpec.parse(norm);
                    SequentialBlock net = new SequentialBlock()
                            .add(spec.buildConv(ConvSpec.builder().setKernel(3).setFilters(8).optPadding(1).build()))
                            .add(spec.buildNorm(8));
                    Shape shape = new Shape(2, 4, 6, 6);
                    net.initialize(model, DataType.FLOAT32, shape);
                    BcnRates.set(net, 0.1f);
                    forward(engine, net, model, shape, training); // layers may create state on their first call
                    TransientArrays counter = new TransientArrays(model);
                    int before = counter.directCount();
                    for (int i = 0; i < 3; i++) {
                        forward(engine, net, model, shape, training);
                    }
                    int grown = counter.directCount() - before;
                    if (grown != 0) {
                        leaks.add(norm + (training ? " training" : " inference") + " +" + grown);
                    }
                }
            }
        }
        assertEquals(List.of(), leaks, "arrays left in the parameters' manager by 3 forwards");
    }

    private static void forward(String engine, Block net, NDManager model, Shape shape, boolean training) {
        try (NDManager call = model.newSubManager()) {
            NDArray x = call.randomNormal(shape);
            ParameterStore ps = new ParameterStore(call, false);
            if (training) {
                try (GradientCollector gc = Engine.getEngine(engine).newGradientCollector()) {
                    x.setRequiresGradient(true);
                    NDArray y = net.forward(ps, new NDList(x), true).singletonOrThrow();
                    gc.backward(y.sum());
                }
            } else {
                net.forward(ps, new NDList(x), false);
            }
        }
    }
}
