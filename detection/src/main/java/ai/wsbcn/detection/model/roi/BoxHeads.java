package ai.wsbcn.detection.model.roi;

import ai.djl.nn.Activation;
import ai.djl.nn.Blocks;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.initializer.XavierInitializer;
import ai.wsbcn.detection.model.neck.ConvNormBlocks;
import ai.wsbcn.norm.NormSpec;

/**
 * The box and mask heads as {@code nn.Sequential}-like blocks with torchvision's child names.
 * <ul>
 *   <li>{@link #convFc}: torchvision's {@code FastRCNNConvFCHead} = the paper's 4conv1fc: {@code convs} 3x3
 *       convolutions (+ norm for GN/BCN) + ReLU ({@code 0..convs-1}), flatten ({@code convs}), one fc + ReLU
 *       ({@code convs+1}). With 0 convs and 2 fcs it is the 2fc (TwoMLPHead-like) head.</li>
 *   <li>{@link #maskHead}: torchvision's {@code MaskRCNNHeads}: 3x3 convolutions (+ norm) + ReLU.</li>
 * </ul>
 * Convolutions: kaiming_normal(fan_out), bias 0 (torchvision); fc: U(+-1/sqrt(fan_in)) (torch Linear), bias 0.
 */
public final class BoxHeads {

    private BoxHeads() {}

    public static SequentialBlock convFc(NormSpec spec, int convs, int convChannels, int fcs, int representation) {
        SequentialBlock head = new SequentialBlock();
        for (int i = 0; i < convs; i++) {
            head.add(ConvNormBlocks.convNorm(spec, 3, convChannels, true, ConvNormBlocks.KAIMING_NORMAL_FAN_OUT));
        }
        head.add(Blocks.batchFlattenBlock());
        for (int i = 0; i < fcs; i++) {
            Linear fc = Linear.builder().setUnits(representation).build();
            ConvNormBlocks.setInit(fc, new XavierInitializer(XavierInitializer.RandomType.UNIFORM,
                    XavierInitializer.FactorType.IN, 1));
            head.add(fc);
            head.add(Activation.reluBlock());
        }
        return head;
    }

    public static SequentialBlock maskHead(NormSpec spec, int convs, int channels) {
        SequentialBlock head = new SequentialBlock();
        for (int i = 0; i < convs; i++) {
            head.add(ConvNormBlocks.convNorm(spec, 3, channels, true, ConvNormBlocks.KAIMING_NORMAL_FAN_OUT));
        }
        return head;
    }
}
