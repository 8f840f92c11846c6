package ai.wsbcn.segmentation.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import ai.wsbcn.norm.ConvNorm;

/**
 * ASPP's image-level branch: global average pooling, a 1x1 convolution, the norm, ReLU, then the 1x1 result spread
 * over the input's spatial size. Child names follow torchvision's {@code ASPPPooling} ({@code 1} = conv, {@code 2} =
 * norm), so parameters are {@code convs.4.1.weight}, {@code convs.4.2.running_mean}, ...
 *
 * <p><b>Batch 1.</b> After pooling there is one value per channel per image. A norm that normalises each channel
 * with the current batch's statistics (plain BN) then sees a single value per channel at batch 1: the output is
 * always its bias and no gradient reaches the convolution. PyTorch refuses this case ({@code BatchNorm} raises
 * "Expected more than 1 value per channel when training", so torchvision's DeepLabV3 cannot train at batch 1), and
 * the official WS/BCN DeepLab code never meets it because its BCN normalises the batch part across GPUs and the
 * channel part over groups of channels. We follow the reference semantics where they are defined and pick the
 * closest well-defined behaviour where they are not: when {@link ConvNorm#usesPerChannelBatchStatistics()} and the
 * pooled map holds a single value per channel (batch 1 in training), the norm runs in inference mode for that step,
 * i.e. it normalises with its running statistics and leaves them untouched. Group norm, frozen BN and micro-batch
 * BCN (which normalises with estimated population statistics) are well defined at batch 1 and run unchanged; at batch
 * >= 2 plain BN runs unchanged too, exactly as torchvision. (The inference-mode step is computed here from the
 * norm's parameters, {@code gamma}/{@code weight}, {@code beta}/{@code bias}, {@code runningMean}/{@code
 * running_mean}, {@code runningVar}/{@code running_var}, eps 1e-5, because MXNet's batch-norm operator refuses an
 * inference-mode call while gradients are being recorded.)
 */
public final class ImagePooling extends AbstractBlock {

    private final Block conv;
    private final Block norm;
    private final boolean guardSingleValue;

    public ImagePooling(ConvNorm convNorm, int filters) {
        this.conv = addChildBlock("1", convNorm.dilatedConv(1, filters, 1, 1, false));
        this.norm = addChildBlock("2", convNorm.norm(filters));
        this.guardSingleValue = convNorm.usesPerChannelBatchStatistics();
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
                                     PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        Shape s = x.getShape();
        NDArray pooled = Pool.globalAvgPool2d(x).reshape(s.get(0), s.get(1), 1, 1);
        NDArray y = conv.forward(ps, new NDList(pooled), training).singletonOrThrow();
        if (training && guardSingleValue && s.get(0) == 1) {
            y = withRunningStatistics(ps, y);
        } else {
            y = norm.forward(ps, new NDList(y), training).singletonOrThrow();
        }
        y = ai.djl.nn.Activation.relu(y);
        // bilinear upsampling of a 1x1 map (either corner convention) is a constant spread
        return new NDList(y.broadcast(new Shape(s.get(0), y.getShape().get(1), s.get(2), s.get(3))));
    }

    private NDArray withRunningStatistics(ParameterStore ps, NDArray y) {
        ai.djl.Device device = y.getDevice();
        NDArray gamma = param(ps, device, true, "gamma", "weight");
        NDArray beta = param(ps, device, true, "beta", "bias");
        NDArray mean = param(ps, device, false, "runningMean", "running_mean");
        NDArray var = param(ps, device, false, "runningVar", "running_var");
        long c = y.getShape().get(1);
        Shape cs = new Shape(1, c, 1, 1);
        NDArray scale = var.add(1e-5f).sqrt().reshape(cs);
        NDArray out = y.sub(mean.reshape(cs)).div(scale);
        if (gamma != null) {
            out = out.mul(gamma.reshape(cs));
        }
        if (beta != null) {
            out = out.add(beta.reshape(cs));
        }
        return out;
    }

    private NDArray param(ParameterStore ps, ai.djl.Device device, boolean trainable, String... names) {
        for (String n : names) {
            ai.djl.nn.Parameter p = norm.getParameters().get(n);
            if (p != null) {
                NDArray v = ps.getValue(p, device, trainable);
                return trainable ? v : v.stopGradient();
            }
        }
        if (trainable) {
            return null; // a norm without affine parameters
        }
        throw new IllegalStateException("image pooling: norm " + norm.getClass().getSimpleName()
                + " uses per-channel batch statistics but has no running statistics " + String.join("/", names));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape s = inputShapes[0];
        Shape c = conv.getOutputShapes(new Shape[] {new Shape(s.get(0), s.get(1), 1, 1)})[0];
        return new Shape[] {new Shape(s.get(0), c.get(1), s.get(2), s.get(3))};
    }

    @Override
    protected void initializeChildBlocks(ai.djl.ndarray.NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape s = inputShapes[0];
        Shape pooled = new Shape(s.get(0), s.get(1), 1, 1);
        conv.initialize(manager, dataType, pooled);
        norm.initialize(manager, dataType, conv.getOutputShapes(new Shape[] {pooled}));
    }
}
