package ai.wsbcn.cli.segmentation;

import ai.wsbcn.cli.Flags;
import ai.wsbcn.cli.Stopped;
import ai.djl.ndarray.NDManager;
import ai.wsbcn.cli.Command;
import ai.wsbcn.segmentation.data.VocDataset;
import ai.wsbcn.segmentation.data.VocPalette;
import ai.wsbcn.norm.ConvNorm;
import ai.wsbcn.segmentation.model.DeepLabV3;
import ai.wsbcn.segmentation.model.ModelSpec;
import ai.wsbcn.segmentation.train.SegmentationTrainer;
import ai.wsbcn.segmentation.train.TrainConfig;
import ai.wsbcn.segmentation.train.TrainResult;
import ai.wsbcn.segmentation.train.TrainingSet;
import ai.wsbcn.pretrained.io.ArchitectureInference;
import ai.wsbcn.pretrained.io.StateDicts;
import ai.wsbcn.pretrained.registry.PretrainedRegistry;
import ai.wsbcn.util.InvalidInputException;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** {@code wsbcn segmentation train}: DeepLabV3 on a VOC-layout set with any norm, micro-batches and poly LR. */
public final class SegmentationTrainCommand implements Command {

    @Override
    public String path() {
        return "segmentation train";
    }

    @Override
    public String summary() {
        return "train DeepLabV3 on PASCAL VOC (or any VOC-layout set) with any norm at micro-batch sizes";
    }

    @Override
    public String example() {
        return "wsbcn segmentation train --data VOC2012 --norm bcn+ws --backbone resnet101"
                + " --iter-size 2 --out runs/bcn_ws";
    }

    @Override
    public String usage() {
        return "--data VOC_ROOT --out DIR [--config FILE] [--split train_aug] [--norm bcn+ws] [--backbone resnet101]"
                + " [--batch 1] [--iter-size 1] [--iters 30000] [--lr 0.007] [--crop 513] [--resume]";
    }

    /** The flags that describe the network; a resumed run keeps the network its checkpoint holds. */
    private static final List<String> MODEL_FLAGS = List.of("norm", "backbone", "output-stride", "multi-grid",
            "num-classes");

    @Override
    public boolean acceptsConfigFile() {
        return true;
    }

    @Override
    public Options options() {
        Options o = new Options();
        o.addOption(Option.builder().longOpt("data").hasArg().argName("VOC_ROOT")
                .desc("VOC2012 folder (JPEGImages/, SegmentationClass[Aug]/, ImageSets/Segmentation/)").build());
        o.addOption(Option.builder().longOpt("split").hasArg().argName("NAME")
                .desc("list file stem: train_aug (default; SegmentationClassAug labels), train, ...").build());
        o.addOption(Option.builder().longOpt("label-dir").hasArg().argName("DIR")
                .desc("label folder under the root (default by split)").build());
        o.addOption(Option.builder().longOpt("out").hasArg().argName("DIR")
                .desc("output: checkpoint.bin, model.json, train_log.csv").build());
        o.addOption(Option.builder().longOpt("norm").hasArg().argName("SPEC")
                .desc(Flags.normHelp("bcn+ws", true)).build());
        o.addOption(Option.builder().longOpt("backbone").hasArg().argName("NAME")
                .desc("resnet101 (default), resnet50, resnet18, ... (dilated, torchvision names), or the small"
                        + " built-in resnet10 / tiny").build());
        o.addOption(Option.builder().longOpt("output-stride").hasArg().argName("16|8")
                .desc("backbone output stride (default 16; ASPP rates 6/12/18, doubled at 8)").build());
        o.addOption(Option.builder().longOpt("multi-grid").hasArg().argName("A,B,C")
                .desc("last-stage unit rates, one per unit, e.g. 1,2,4 (default: none, torchvision's dilation)")
                .build());
        o.addOption(Option.builder().longOpt("num-classes").hasArg().argName("N")
                .desc("classes including background (default 21)").build());
        o.addOption(Option.builder().longOpt("batch").hasArg().argName("N").desc("images per micro-batch (1)").build());
        o.addOption(Option.builder().longOpt("iter-size").hasArg().argName("N")
                .desc("micro-batches per SGD step (1)").build());
        o.addOption(Option.builder().longOpt("iters").hasArg().argName("N").desc("SGD steps (30000)").build());
        o.addOption(Option.builder().longOpt("lr").hasArg().argName("LR").desc("base LR, poly 0.9 (0.007)").build());
        o.addOption(Option.builder().longOpt("crop").hasArg().argName("PX").desc("crop size (513)").build());
        o.addOption(Option.builder().longOpt("seed").hasArg().argName("S").desc("seed (1)").build());
        o.addOption(Option.builder().longOpt("checkpoint-every").hasArg().argName("N")
                .desc("steps between checkpoints (1000)").build());
        o.addOption(Option.builder().longOpt("log-every").hasArg().argName("N")
                .desc("steps between log rows (20)").build());
        o.addOption(Option.builder().longOpt("stop-at").hasArg().argName("STEP")
                .desc("stop after this step (checkpointed); continue later with --resume").build());
        o.addOption(Option.builder().longOpt("resume").desc("continue from OUT/checkpoint.bin").build());
        return o;
    }

    @Override
    public int run(CommandLine cl) throws Exception {
        PrintStream console = Flags.console(cl);
        Path data = Path.of(Flags.required(cl, "data"));
        Path out = Path.of(Flags.required(cl, "out"));
        VocDataset.Builder db = VocDataset.builder().setRoot(data).setSplit(cl.getOptionValue("split", "train_aug"));
        if (cl.hasOption("label-dir")) {
            db.optLabelDir(cl.getOptionValue("label-dir"));
        }
        VocDataset train = db.build();
        int numClasses = Flags.intFlag(cl, "num-classes", 21, 2);
        int os = Flags.intFlag(cl, "output-stride", 16, 8);
        if (os != 8 && os != 16) {
            throw new InvalidInputException("--output-stride: 8 or 16, got " + os);
        }
        String norm = cl.getOptionValue("norm", "bcn+ws");
        ConvNorm.parse(norm); // fail early on a bad spec
        String backbone = cl.getOptionValue("backbone", "resnet101");
        Path backboneWeights = null;
        PretrainedRegistry registry = PretrainedRegistry.defaultRegistry();
        if (registry.find(backbone).isPresent() || Files.isRegularFile(Path.of(backbone))) {
            // a registered name or a checkpoint file: the architecture comes from its tensors
            backboneWeights = registry.resolve(backbone);
            backbone = ArchitectureInference.infer(StateDicts.read(backboneWeights), backboneWeights.toString()).id();
            console.println("backbone " + backbone + " from " + backboneWeights);
        }
        List<String> names = numClasses == 21 ? VocPalette.VOC_CLASSES : List.of();
        ModelSpec spec = ModelSpec.of(norm, backbone, os, numClasses, names);
        if (cl.hasOption("multi-grid")) {
            spec = spec.withMultiGrid(Flags.intList(cl, "multi-grid", null));
        }
        Path savedSpec = out.resolve("model.json");
        if (cl.hasOption("resume") && Files.isRegularFile(savedSpec)) {
            ModelSpec saved = ModelSpec.fromJson(Files.readString(savedSpec), savedSpec.toString());
            boolean described = MODEL_FLAGS.stream().anyMatch(cl::hasOption);
            if (described && !saved.toJson().equals(spec.toJson())) {
                // the checkpoint holds the saved model; flags describing another would be silently ignored
                throw new InvalidInputException(savedSpec + ": the run being resumed is " + saved + ", but the flags ("
                        + String.join(", ", MODEL_FLAGS.stream().filter(cl::hasOption).map(f -> "--" + f).toList())
                        + ") describe " + spec + "; a resumed run keeps its model (train another in a new --out)");
            }
            spec = saved;
        }
        int iters = Flags.intFlag(cl, "iters", 30000, 1);
        TrainConfig cfg = TrainConfig.builder().setOutDir(out).optBackboneWeights(backboneWeights)
                .optIters(iters)
                .optLr(Flags.floatFlag(cl, "lr", 0.007f, 0f))
                .optBatch(Flags.intFlag(cl, "batch", 1, 1))
                .optIterSize(Flags.intFlag(cl, "iter-size", 1, 1))
                .optCrop(Flags.intFlag(cl, "crop", 513, 16))
                .optSeed(Flags.intFlag(cl, "seed", 1, 0))
                .optCheckpointEvery(Flags.intFlag(cl, "checkpoint-every", 1000, 1))
                .optLogEvery(Flags.intFlag(cl, "log-every", 20, 1))
                .optStopAt(Flags.intFlag(cl, "stop-at", 0, 0))
                .optResume(cl.hasOption("resume")).build();
        try (NDManager manager = NDManager.newBaseManager()) {
            DeepLabV3 model = spec.build(ConvNorm::parse);
            console.printf(Locale.ROOT, "%s; %d images in %s; %s; engine %s%n", spec, train.size(),
                    train.listFile(), cfg, manager.getEngine().getEngineName());
            TrainResult r = new SegmentationTrainer(model, spec, TrainingSet.of(train), cfg, manager, console)
                    .train();
            if (r.startStep() >= r.steps()) {
                System.out.printf(Locale.ROOT, "nothing to train: the run is complete at step %d; checkpoint %s%n",
                        r.steps(), out.resolve("checkpoint.bin"));
            } else {
                System.out.printf(Locale.ROOT, "trained steps %d..%d, %.3f s/step, loss %.4f -> %.4f; checkpoint %s%n",
                        r.startStep(), r.steps(), r.secondsPerStep(), r.firstLoss(), r.lastLoss(),
                        out.resolve("checkpoint.bin"));
            }
            if (r.steps() < iters) {
                System.out.println(Stopped.line("step", r.steps(), iters));
            }
        }
        return 0;
    }
}
