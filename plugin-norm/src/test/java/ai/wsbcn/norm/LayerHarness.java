package ai.wsbcn.norm;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;

import java.nio.FloatBuffer;
import java.util.HashMap;
import java.util.Map;

/**
 * Runs one forward (and, in training, the backward of L = sum(y * g)) of a block with given parameter values, the
 * way the reference vectors were computed, and hands back the output and the gradients.
 */
final class LayerHarness {

    private final NDManager manager;
    private final Block block;

    LayerHarness(NDManager manager, Block block, NDArray sampleInput) {
        this.manager = manager;
        this.block = block;
        block.initialize(manager, DataType.FLOAT32, sampleInput.getShape());
    }

    /** Copies {@code value} into the parameter called {@code name}. */
    LayerHarness set(String name, NDArray value) {
        Parameter p = block.getParameters().get(name);
        if (p == null) {
            throw new IllegalArgumentException("no parameter " + name + " in " + block.getParameters().keys());
        }
        p.getArray().set(FloatBuffer.wrap(value.toFloatArray()));
        return this;
    }

    NDArray param(String name) {
        return block.getParameters().get(name).getArray();
    }

    /** Training step: forward under a gradient collector, backward of sum(y * g). */
    Result train(NDArray x, NDArray g) {
        NDArray input = x.duplicate();
        input.setRequiresGradient(true);
        try (GradientCollector gc = manager.getEngine().newGradientCollector()) {
            gc.zeroGradients();
            NDArray y = block.forward(new ParameterStore(manager, false), new NDList(input), true)
                    .singletonOrThrow();
            gc.backward(y.mul(g).sum());
            Map<String, NDArray> grads = new HashMap<>();
            for (var pair : block.getParameters()) {
                NDArray a = pair.getValue().getArray();
                if (pair.getValue().requiresGradient()) {
                    grads.put(pair.getKey(), a.getGradient().duplicate());
                }
            }
            return new Result(y.duplicate(), input.getGradient().duplicate(), grads);
        }
    }

    /** Inference forward. */
    NDArray infer(NDArray x) {
        return block.forward(new ParameterStore(manager, false), new NDList(x), false).singletonOrThrow();
    }

    record Result(NDArray y, NDArray dx, Map<String, NDArray> grads) {
        NDArray grad(String name) {
            NDArray g = grads.get(name);
            if (g == null) {
                throw new IllegalArgumentException("no gradient for " + name + "; have " + grads.keySet());
            }
            return g;
        }
    }
}
