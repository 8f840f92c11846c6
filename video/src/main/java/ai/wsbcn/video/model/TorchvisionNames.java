package ai.wsbcn.video.model;

import ai.djl.nn.Block;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Convolution;
import ai.djl.util.Pair;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The torchvision {@code state_dict} name of every parameter of a {@link TsmNetwork}: {@code conv1}, {@code bn1},
 * {@code layer<s>.<u>.conv<k>}, {@code layer<s>.<u>.bn<k>}, {@code layer<s>.<u>.downsample.0|1}, {@code fc}, each
 * followed by the parameter's own name ({@code weight}, {@code bias}, {@code running_mean}, {@code running_var}, or a
 * norm's extra ones such as BCN's {@code batch_weight}). The temporal shift has no parameters, so TSM and TSN share
 * the names of the 2-D ResNet they start from — which is how ImageNet weights are loaded into them.
 */
public final class TorchvisionNames {

    private TorchvisionNames() {}

    /** Torch name to parameter, in the network's parameter order. */
    public static Map<String, Parameter> of(TsmNetwork net) {
        Map<String, Parameter> out = new LinkedHashMap<>();
        SequentialBlock backbone = (SequentialBlock) net.backbone();
        int stage = 0;
        int stageUnits = 0;
        int[] blocks = net.architecture().blocks();
        for (Block child : backbone.getChildren().values()) {
            if (child instanceof ResidualUnit ru) {
                while (stageUnits == blocks[stage]) {
                    stage++;
                    stageUnits = 0;
                }
                addUnit(out, "layer" + (stage + 1) + "." + stageUnits + ".", ru);
                stageUnits++;
            } else if (isLayer(child)) {
                // the stem: its one conv and one norm
                add(out, child instanceof Convolution ? "conv1" : "bn1", child);
            }
        }
        add(out, "fc", net.classifier());
        return out;
    }

    private static void addUnit(Map<String, Parameter> out, String prefix, ResidualUnit unit) {
        int k = 0;
        for (Pair<String, Block> c : unit.getChildren()) {
            if (c.getKey().endsWith("branch")) {
                for (Block b : c.getValue().getChildren().values()) {
                    if (!isLayer(b)) {
                        continue;
                    }
                    // conv1, bn1, conv2, bn2, ... (a norm takes the number of the conv before it)
                    if (b instanceof Convolution) {
                        add(out, prefix + "conv" + (++k), b);
                    } else {
                        add(out, prefix + "bn" + k, b);
                    }
                }
            } else if (c.getKey().endsWith("downsample")) {
                int d = 0;
                for (Block b : c.getValue().getChildren().values()) {
                    add(out, prefix + "downsample." + d++, b);
                }
            }
        }
    }

    /** A block with parameters (convolution or norm); activations and pooling have none. */
    private static boolean isLayer(Block b) {
        return !(b instanceof LambdaBlock) && !b.getParameters().isEmpty();
    }

    private static void add(Map<String, Parameter> out, String module, Block block) {
        for (Pair<String, Parameter> p : block.getParameters()) {
            out.put(module + "." + p.getValue().getName(), p.getValue());
        }
    }
}
