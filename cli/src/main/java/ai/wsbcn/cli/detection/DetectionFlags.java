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
            o.addOption(Option.builder().longOpt(k).hasArg().argName("V")
                    .desc(describe(k) + (d == null ? "" : " (default " + d + ")")).build());
        }
    }

    private static String describe(String k) {
        return switch (k) {
            case "data" -> "COCO image folder (e.g. COCO_ROOT/train2017)";
            case "ann" -> "COCO instances JSON of the training set";
            case "val-data", "val-ann" -> "validation images / annotations for --eval-every";
            case "out" -> "output folder (checkpoint.bin, config.json, train_log.csv, loss_curve.png)";
            case "arch" -> "mask-rcnn or faster-rcnn";
            case "backbone" -> "registry name, checkpoint file (loaded under backbone.body.) or arch name";
            case "norm" -> "frozen-bn, gn, gn+ws, bcn+ws, ...";
            case "schedule" -> "1x or 2x (90k/180k at 16 images, scaled to images-per-batch x iter-size)";
            case "iters" -> "explicit iteration count (steps keep their fractions)";
            case "lr" -> "base learning rate (default 0.02 x total batch / 16)";
            case "freeze-at" -> "backbone stages to freeze (default 2 for frozen-bn, else 0)";
            case "eval-every" -> "evaluate on the val set every N iterations (0 = only at the end)";
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
