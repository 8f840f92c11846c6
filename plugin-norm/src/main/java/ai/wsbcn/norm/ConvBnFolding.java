package ai.wsbcn.norm;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.ParameterStore;
import ai.wsbcn.util.ArrayOverwrite;


/** Folds a frozen batch norm into the convolution before it: one conv with a bias instead of conv + scale/shift. */
final class ConvBnFolding {

    private ConvBnFolding() {}

    static Conv2d fold(Conv2d conv, FrozenBatchNorm bn, NDManager manager) {
        if (!conv.isInitialized() || !bn.isInitialized()) {
            throw new IllegalStateException("folding needs an initialised conv and frozen batch norm");
        }
        Conv2d plain = Conv2d.builder().setKernelShape(conv.getKernelShape()).setFilters(conv.getFilters())
                .optStride(conv.getStride()).optPadding(conv.getPadding()).optDilation(conv.getDilation())
                .optGroups(conv.getGroups()).optBias(true).build();
        plain.initialize(manager, DataType.FLOAT32, conv.getInputShapes());
        try (NDManager scratch = manager.newSubManager()) {
            NDArray w = conv.getParameters().get("weight").getArray();
            NDArray weight = conv instanceof WsConv2d
                    ? WeightStandardization.standardize(w, ((WsConv2d) conv).getEps(),
                            ((WsConv2d) conv).getConvention())
                    : w;
            ParameterStore ps = new ParameterStore(scratch, false);
            NDArray scale = bn.scale(ps, w.getDevice());
            NDArray shift = bn.shift(ps, w.getDevice());
            NDArray folded = weight.mul(scale.reshape(-1, 1, 1, 1));
            NDArray bias = conv.isIncludeBias()
                    ? conv.getParameters().get("bias").getArray().mul(scale).add(shift)
                    : shift;
            folded.attach(scratch);
            bias.attach(scratch);
            ArrayOverwrite.from(folded, plain.getParameters().get("weight").getArray());
            ArrayOverwrite.from(bias, plain.getParameters().get("bias").getArray());
        }
        return plain;
    }
}
