package ai.wsbcn.video.train;

import ai.wsbcn.norm.engine.ScalarOps;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;

/**
 * Forward and backward of one micro-batch of clips with softmax cross-entropy. The forward runs in its own manager,
 * which is closed before the backward pass: DJL would otherwise keep every intermediate array of the forward alive
 * until the step ends, while the engine's autograd graph keeps (by its own references) exactly the ones the backward
 * needs — as PyTorch itself does. This lowers the peak memory of a ResNet-50 TSM step substantially.
 */
public final class MicroBatchStep {

    /** The micro-batch's mean loss and its scores {@code (N, classes)} row-major. */
    public record Result(float loss, float[] scores) {}

    private MicroBatchStep() {}

    /**
     * Runs {@code net} on clips {@code x} of shape {@code xShape} in training mode, and back-propagates the mean
     * cross-entropy against one-hot {@code target} times {@code lossScale} (1 / micro-batches per update).
     */
    public static Result run(Block net, NDManager manager, float[] x, Shape xShape, float[] target, int classes,
            float lossScale) {
        int n = Math.toIntExact(xShape.get(0));
        try (NDManager step = manager.newSubManager();
                GradientCollector gc = Engine.getEngine(manager.getEngine().getEngineName())
                        .newGradientCollector()) {
            NDArray loss;
            float[] scores;
            try (NDManager forward = step.newSubManager()) {
                // results attach to the manager of their first operand: the input, so all intermediates go here
                NDArray input = forward.create(x, xShape);
                NDArray logits = net.forward(new ParameterStore(forward, false), new NDList(input), true)
                        .singletonOrThrow();
                NDArray t = forward.create(target, new Shape(n, classes));
                loss = ScalarOps.div(logits.logSoftmax(1).mul(t).sum().neg(), (double) n / lossScale);
                loss.attach(step);
                scores = logits.toFloatArray();
            }
            gc.backward(loss);
            return new Result(loss.getFloat() / lossScale, scores);
        }
    }
}
