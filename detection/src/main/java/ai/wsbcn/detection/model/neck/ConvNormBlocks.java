package ai.wsbcn.detection.model.neck;

import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.training.initializer.Initializer;
import ai.djl.training.initializer.XavierInitializer;
import ai.wsbcn.norm.ConvSpec;
import ai.wsbcn.norm.NormSpec;

/**
 * torchvision's {@code Conv2dNormActivation} for the FPN and the heads: a convolution, then the norm when the
 * {@link NormSpec} is a GN/BCN variant (conv without bias, as torchvision), else a plain convolution with bias (frozen
 * or plain batch norm is used only in the backbone, like Detectron's and torchvision's FPN models), then optionally a
 * ReLU. Children are named {@code 0} (conv), {@code 1} (norm), like {@code nn.Sequential}.
 */
public final class ConvNormBlocks {

    /** kaiming_uniform_(a=1): U(+-sqrt(3 / fan_in)) — torchvision's FPN init. */
    public static final Initializer KAIMING_UNIFORM_A1 =
            new XavierInitializer(XavierInitializer.RandomType.UNIFORM, XavierInitializer.FactorType.IN, 3);

    /** kaiming_normal_(mode="fan_out", nonlinearity="relu"): N(0, 2 / fan_out) — torchvision's head init. */
    public static final Initializer KAIMING_NORMAL_FAN_OUT =
            new XavierInitializer(XavierInitializer.RandomType.GAUSSIAN, XavierInitializer.FactorType.OUT, 2);

    private ConvNormBlocks() {}

    /** Whether heads and FPN get a norm layer under {@code spec} (GN and BCN variants). */
    public static boolean headsNormalized(NormSpec spec) {
        return spec.kind() == NormSpec.Kind.GN || spec.kind() == NormSpec.Kind.BCN;
    }

    /**
     * A {@code k x k} convolution ({@code padding k/2}) to {@code filters} channels with the norm of {@code spec} when
     * heads are normalised (WS convolutions when {@code +ws}), ReLU when {@code relu}; weight initialised by
     * {@code init}, bias (if any) zero.
     */
    public static SequentialBlock convNorm(NormSpec spec, int kernel, int filters, boolean relu, Initializer init) {
        boolean norm = headsNormalized(spec);
        ConvSpec conv = ConvSpec.builder().setKernel(kernel).setFilters(filters).optPadding(kernel / 2)
                .optBias(!norm).build();
        Block c = norm ? spec.buildConv(conv) : NormSpec.parse("none").buildConv(conv);
        setInit(c, init);
        SequentialBlock out = new SequentialBlock().add(c);
        if (norm) {
            out.add(spec.buildNorm(filters));
        }
        if (relu) {
            out.add(Activation.reluBlock());
        }
        return out;
    }

    /** Sets the weight initializer of a convolution/linear block and zero for its bias. */
    public static void setInit(Block block, Initializer weightInit) {
        for (var p : block.getParameters()) {
            Parameter param = p.getValue();
            if ("weight".equals(p.getKey())) {
                param.setInitializer(weightInit);
            } else if ("bias".equals(p.getKey())) {
                param.setInitializer(Initializer.ZEROS);
            }
        }
    }
}
