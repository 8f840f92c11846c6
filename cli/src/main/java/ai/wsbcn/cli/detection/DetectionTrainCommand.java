package ai.wsbcn.cli.detection;

import ai.djl.ndarray.NDManager;
import ai.wsbcn.cli.Command;
import ai.wsbcn.cli.Flags;
import ai.wsbcn.cli.Stopped;
import ai.wsbcn.detection.data.CocoSamples;
import ai.wsbcn.detection.eval.DetectionEvaluator;
import ai.wsbcn.detection.train.DetectionTrainConfig;
import ai.wsbcn.detection.train.DetectionTrainer;

import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/** {@code wsbcn detection train}: Mask R-CNN / Faster R-CNN on a COCO-format data set. */
public final class DetectionTrainCommand implements Command {

    @Override
    public String path() {
        return "detection train";
    }

    @Override
    public String summary() {
        return "train Mask R-CNN / Faster R-CNN (FPN) on COCO-format data at 1-2 images per batch";
    }

    @Override
    public String example() {
        return "wsbcn detection train --data COCO_ROOT/train2017 --ann"
                + " COCO_ROOT/annotations/instances_train2017.json --norm gn+ws --iter-size 2 --out"
                + " runs/mrcnn-gnws";
    }

    @Override
    public String usage() {
        return "--data IMAGES --ann INSTANCES.json --out DIR [--config FILE] [--norm gn+ws] [--backbone resnet50]"
                + " [--images-per-batch 1] [--iter-size N] [--schedule 1x|2x] [--lr LR] [--resume]";
    }

    @Override
    public Options options() {
        Options o = new Options();
        DetectionFlags.addConfigFlags(o);
        o.addOption(Flags.configOption());
        o.addOption(Option.builder().longOpt("resume").desc("continue from OUT/checkpoint.bin").build());
        o.addOption(Option.builder().longOpt("stop-at").hasArg().argName("STEP")
                .desc("stop after this step (checkpointed); continue later with --resume").build());
        return o;
    }

    @Override
    public int run(CommandLine cl) throws Exception {
        PrintStream console = Flags.console(cl);
        DetectionTrainConfig c;
        Path saved = cl.hasOption("out") ? Path.of(cl.getOptionValue("out")).resolve("config.json") : null;
        if (cl.hasOption("resume") && !cl.hasOption("config") && saved != null && Files.isRegularFile(saved)) {
            c = DetectionTrainConfig.load(saved);
            for (Option opt : cl.getOptions()) {
                if (opt.getLongOpt() != null && DetectionTrainConfig.DEFAULTS.containsKey(opt.getLongOpt())) {
                    c.set(opt.getLongOpt(), opt.getValue(), "--" + opt.getLongOpt());
                }
            }
        } else {
            c = DetectionFlags.config(cl);
        }
        if (cl.hasOption("resume")) { // else the default, false, or a --config file's true/false (checked in use)
            c.set("resume", "true", "--resume");
        }
        boolean masks = c.get("arch").equals("mask-rcnn");
        CocoSamples train = CocoSamples.open(Path.of(c.require("data")), Path.of(c.require("ann")), masks, true);
        c.require("out");
        CocoSamples val = c.get("val-ann") == null ? null
                : CocoSamples.open(Path.of(c.require("val-data")), Path.of(c.get("val-ann")), masks, false);
        if (val != null) {
            DetectionEvaluator.checkBeforeRun(train.categories(), val, masks, 0);
        }
        try (NDManager m = DetectionFlags.manager(cl, false)) {
            DetectionTrainer t = new DetectionTrainer(c, train, val, m, console);
            DetectionTrainer.Outcome o = t.train(Flags.intFlag(cl, "stop-at", 0, 1));
            if (o.startStep() >= o.endStep()) {
                System.out.printf(Locale.ROOT, "nothing to train: the run is complete at step %d; checkpoint %s%n",
                        o.endStep(), o.checkpoint());
            } else {
                System.out.printf(Locale.ROOT, "trained steps %d..%d, loss %.4f -> %.4f, %.3f s/step; checkpoint %s%n",
                        o.startStep(), o.endStep(), o.firstLoss(), o.lastLoss(), o.secondsPerStep(), o.checkpoint());
            }
            if (o.stoppedEarly()) {
                System.out.println(Stopped.line("step", o.endStep(), o.scheduleEnd()));
            } else if (val != null) {
                DetectionEvaluator.Result r = DetectionEvaluator.run(t.model(), m, val, train.categories(), 0,
                        Path.of(c.get("out")).resolve("val_results.json"), console);
                DetectionEvaluator.print(r, System.out);
                if (o.startStep() < o.endStep()) { // a run resumed when complete has its final row already
                    t.logEvaluation(Path.of(c.get("out")), o.endStep(), r);
                }
            }
        }
        return 0;
    }
}
