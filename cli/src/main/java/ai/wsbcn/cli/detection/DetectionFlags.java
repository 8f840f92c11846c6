package ai.wsbcn.cli.detection;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.wsbcn.cli.Flags;
import ai.wsbcn.detection.train.DetectionTrainConfig;

import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;

/** Flags shared by the detection commands. */
final class DetectionFlags {

    private DetectionFlags() {}

    /** Every {@link DetectionTrainConfig} key as a {@code --key VALUE} flag (description from the key). */
    static void addConfigFlags(Options o) {
        for (String k : DetectionTrainConfig.DEFAULTS.keySet()) {
            if (k.equals("resume")) {
                continue;
            }
            String d = DetectionTrainConfig.DEFAULTS.get(k);
            String desc = k.equals("norm") ? Flags.normHelp(d, false)
                    : describe(k) + (d == null || describe(k).contains("(default") ? "" : " (default " + d + ")");
            o.addOption(Option.builder().longOpt(k).hasArg().argName(argName(k)).desc(desc).build());
        }
    }

    private static String argName(String k) {
        return switch (k) {
            case "data", "val-data", "out" -> "DIR";
            case "ann", "val-ann" -> "INSTANCES.json";
            case "arch", "backbone" -> "NAME";
            case "norm" -> "SPEC";
            case "schedule" -> "1x|2x";
            case "lr" -> "LR";
            case "momentum" -> "M";
            case "weight-decay" -> "WD";
            case "seed" -> "S";
            case "anchor-sizes" -> "LIST";
            case "min-size", "max-size" -> "PX";
            default -> "N";
        };
    }

    private static String describe(String k) {
        return switch (k) {
            case "data" -> "COCO image folder (e.g. COCO_ROOT/train2017)";
            case "ann" -> "COCO instances JSON of the training set";
            case "val-data" -> "validation image folder: --eval-every and a final evaluation";
            case "val-ann" -> "validation COCO instances JSON";
            case "out" -> "output folder (checkpoint.bin, config.json, train_log.csv, loss_curve.png)";
            case "arch" -> "mask-rcnn or faster-rcnn";
            case "backbone" -> "registry name, checkpoint file (loaded under backbone.body.) or arch name";
            case "schedule" -> "1x or 2x (90k/180k at 16 images, scaled to images-per-batch x iter-size)";
            case "iters" -> "explicit iteration count; the lr steps keep their fractions (default 0: the --schedule's)";
            case "lr" -> "base learning rate (default 0.02 x total batch / 16)";
            case "freeze-at" -> "backbone stages to freeze (default 2 for frozen-bn, else 0)";
            case "eval-every" -> "evaluate on the val set every N iterations (0 = only at the end)";
            case "images-per-batch" -> "images per micro-batch";
            case "iter-size" -> "micro-batches per SGD step (total batch = images-per-batch x iter-size)";
            case "momentum" -> "SGD momentum";
            case "weight-decay" -> "weight decay (conv and fc weights only)";
            case "min-size" -> "resize: short side";
            case "max-size" -> "resize: long-side cap";
            case "width" -> "backbone base width, for tiny models (default 0: the architecture's)";
            case "stem" -> "stem channels (default 0: the architecture's)";
            case "fpn-channels" -> "FPN channels";
            case "representation-size" -> "box head fc width";
            case "head-channels" -> "conv channels of the box and mask heads";
            case "anchor-sizes" -> "anchor size per FPN level";
            case "rpn-batch" -> "RPN anchors sampled per image";
            case "roi-batch" -> "RoIs sampled per image";
            case "rpn-post-nms-train" -> "RPN proposals kept per image in training";
            case "rpn-post-nms-test" -> "RPN proposals kept per image in evaluation";
            case "checkpoint-every" -> "steps between checkpoints";
            case "log-every" -> "steps between log rows";
            case "seed" -> "seed";
            default -> k.replace('-', ' ');
        };
    }

    /** {@code --config FILE} then every given flag on top. */
    static DetectionTrainConfig config(CommandLine cl) {
        DetectionTrainConfig c = cl.hasOption("config")
                ? DetectionTrainConfig.load(java.nio.file.Path.of(cl.getOptionValue("config")))
                : DetectionTrainConfig.defaults();
        for (Option opt : cl.getOptions()) {
            String k = opt.getLongOpt();
            if (k != null && DetectionTrainConfig.DEFAULTS.containsKey(k)) {
                c.set(k, opt.getValue(), "--" + k);
            }
        }
        return c;
    }

    /** PyTorch unless {@code --engine} was given (the detection demo trains 1.5x faster on it than on MXNet). */
    static NDManager manager(CommandLine cl, boolean preferPyTorch) {
        String name = Flags.engineChosen(cl) || !preferPyTorch ? Engine.getInstance().getEngineName() : "PyTorch";
        return Engine.getEngine(name).newBaseManager();
    }
}
