package ai.wsbcn.detection.model.roi;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.util.PairList;
import ai.wsbcn.util.CallArrays;

/**
 * {@code nn.ConvTranspose2d(in, out, kernel_size=2, stride=2)} — the mask head's 2x upsampling — written as one
 * matrix product so that it runs (and back-propagates) on every engine (DJL's PyTorch engine has no
 * deconvolution). With kernel = stride = 2 the output windows do not overlap:
 * {@code y[n, o, 2h+i, 2w+j] = b[o] + sum_c x[n, c, h, w] W[c, o, i, j]}. Parameters as torch: {@code weight}
 * (in, out, 2, 2), {@code bias} (out); weight kaiming_normal(fan_out) = N(0, 2 / (in * 4)) like torchvision's
 * MaskRCNNPredictor (torch computes a transposed conv's fan-out from dim 0 = in), bias 0.
 */
public final class TransposedConv2x2 extends AbstractBlock {

    private static final byte VERSION = 1;

    private final int filters;
    private final Parameter weight;
    private final Parameter bias;

    public TransposedConv2x2(int filters) {
        super(VERSION);
        this.filters = filters;
        this.weight = addParameter(Parameter.builder().setName("weight").setType(Parameter.Type.WEIGHT).build());
        this.bias = addParameter(Parameter.builder().setName("bias").setType(Parameter.Type.BIAS)
                .optShape(new Shape(filters)).optInitializer(Initializer.ZEROS).build());
    }

    @Override
    protected void prepare(Shape[] inputShapes) {
        long in = inputShapes[0].get(1);
        weight.setShape(new Shape(in, filters, 2, 2));
        weight.setInitializer(new NormalInitializer((float) Math.sqrt(2.0 / (in * 4.0))));
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
            PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        Shape s = x.getShape();
        long n = s.get(0);
        long c = s.get(1);
        long h = s.get(2);
        long w = s.get(3);
        NDArray wt = ps.getValue(weight, x.getDevice(), training);
        NDArray b = ps.getValue(bias, x.getDevice(), training);
        NDArray rows = x.transpose(0, 2, 3, 1).reshape(n * h * w, c);
        NDManager call = x.getManager();
        NDArray y = rows.matMul(CallArrays.adopt(call, wt.reshape(c, filters * 4L))); // (n h w, o i j)
        y = y.reshape(n, h, w, filters, 2, 2).transpose(0, 3, 1, 4, 2, 5).reshape(n, filters, 2 * h, 2 * w);
        return new NDList(y.add(CallArrays.adopt(call, b.reshape(1, filters, 1, 1))));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape s = inputShapes[0];
        return new Shape[] {new Shape(s.get(0), filters, 2 * s.get(2), 2 * s.get(3))};
    }
}
