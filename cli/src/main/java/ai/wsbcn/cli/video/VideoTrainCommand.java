package ai.wsbcn.cli.video;

import ai.wsbcn.cli.Flags;
import ai.wsbcn.cli.Stopped;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.wsbcn.cli.Command;
import ai.wsbcn.pretrained.registry.PretrainedRegistry;
import ai.wsbcn.video.data.VideoClipDataset;
import ai.wsbcn.video.data.VideoList;
import ai.wsbcn.video.model.BackboneWeights;
import ai.wsbcn.video.model.TsmArchitecture;
import ai.wsbcn.video.model.TsmModelSpec;
import ai.wsbcn.video.train.LrSteps;
import ai.wsbcn.video.train.TrainResult;
import ai.wsbcn.video.train.VideoTrainer;
import ai.wsbcn.video.transforms.ClipTransform;
import ai.wsbcn.video.transforms.MultiScaleCrop;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** {@code wsbcn video train}: TSM (or TSN with --no-shift) on Something-Something with any norm. */
public final class VideoTrainCommand implements Command {

    @Override
    public String path() {
        return "video train";
    }

    @Override
    public String summary() {
        return "train TSM on Something-Something V1 or V2 (any norm; checkpoints, --resume, CSV log)";
    }

    @Override
    public String example() {
        return "wsbcn video train --data SS_ROOT --norm gn+ws --backbone resnet50"
                + " --clips-per-batch 2 --iter-size 4 --out runs/tsm-gnws";
    }

    @Override
    public Map<String, String> oldSpellings() {
        return Map.of("max-steps", "stop-at");
    }

    @Override
    public String usage() {
        return "--data SS_ROOT --norm SPEC --backbone NAME --out DIR [--config FILE] [--clips-per-batch 8]"
                + " [--epochs 45] [--lr 0.0125] [--lr-steps 26,36] [--resume] [options]";
    }

    @Override
    public boolean acceptsConfigFile() {
        return true;
    }

    @Override
    public Options options() {
        Options o = new Options();
        VideoData.addOptions(o);
        o.addOption(Option.builder().longOpt("train-list").hasArg().argName("LIST")
                .desc("train on a list file ('path num_frames label') instead of --data's train split").build());
        o.addOption(Option.builder().longOpt("val-list").hasArg().argName("LIST")
                .desc("validate on a list file instead of --data's validation split").build());
        o.addOption(Option.builder().longOpt("norm").hasArg().argName("SPEC").desc(Flags.normHelp("bn", true)).build());
        o.addOption(Option.builder().longOpt("backbone").hasArg().argName("NAME")
                .desc("resnet50 (default), resnet18/34/101, resnet8, resnet8w<W>, or a state dict FILE (.pth, .tar,"
                        + " .safetensors, .npz) with torchvision names, e.g. ImageNet weights (architecture from its"
                        + " keys)").build());
        o.addOption(Option.builder().longOpt("out").hasArg().argName("DIR").desc("output folder (required)").build());
        o.addOption(Option.builder().longOpt("clips-per-batch").hasArg().argName("B")
                .desc("clips per micro-batch (default 8); the norm sees B x segments frames").build());
        o.addOption(Option.builder().longOpt("iter-size").hasArg().argName("N")
                .desc("micro-batches per optimizer step (default 1)").build());
        o.addOption(Option.builder().longOpt("epochs").hasArg().argName("E").desc("epochs (default 45)").build());
        o.addOption(Option.builder().longOpt("lr").hasArg().argName("LR").desc("base learning rate (default 0.0125)")
                .build());
        o.addOption(Option.builder().longOpt("lr-steps").hasArg().argName("E1,E2")
                .desc("epochs after which the rate is divided by 10 (default 26,36)").build());
        o.addOption(Option.builder().longOpt("weight-decay").hasArg().argName("WD").desc("default 5e-4").build());
        o.addOption(Option.builder().longOpt("clip-grad").hasArg().argName("NORM")
                .desc("global gradient-norm clip (default 20, 0 = off)").build());
        o.addOption(Option.builder().longOpt("dropout").hasArg().argName("P").desc("before the classifier (default 0.5)")
                .build());
        o.addOption(Option.builder().longOpt("segments").hasArg().argName("T").desc("frames per clip (default 8)")
                .build());
        o.addOption(Option.builder().longOpt("fold-div").hasArg().argName("D")
                .desc("1/D of the channels shift each way (default 8)").build());
        o.addOption(Option.builder().longOpt("no-shift").desc("no temporal shift: plain TSN").build());
        o.addOption(Option.builder().longOpt("crop").hasArg().argName("S").desc("input size (default 224)").build());
        o.addOption(Option.builder().longOpt("scale").hasArg().argName("S")
                .desc("test-time shorter side before the centre crop (default 256)").build());
        o.addOption(Option.builder().longOpt("seed").hasArg().argName("S").desc("default 0").build());
        o.addOption(Option.builder().longOpt("resume").desc("continue from DIR/checkpoint.bin").build());
        o.addOption(Option.builder().longOpt("checkpoint-every").hasArg().argName("STEPS")
                .desc("also checkpoint every STEPS optimizer steps (default: each epoch end)").build());
        o.addOption(Option.builder().longOpt("eval-every").hasArg().argName("E")
                .desc("validate every E epochs (default 1; 0 = only at the end)").build());
        o.addOption(Option.builder().longOpt("no-eval").desc("do not validate").build());
        o.addOption(Option.builder().longOpt("stop-at").hasArg().argName("STEP")
                .desc("stop after this optimizer step (checkpointed); continue later with --resume").build());
        return o;
    }

    @Override
    public int run(CommandLine cl) throws Exception {
        PrintStream console = Flags.console(cl);
        Flags.required(cl, "out");
        Path out = Path.of(cl.getOptionValue("out"));
        String backbone = cl.getOptionValue("backbone", "resnet50");
        PretrainedRegistry registry = PretrainedRegistry.defaultRegistry();
        if (registry.find(backbone).isPresent()) {
            backbone = registry.resolve(backbone).toString(); // a registered name: its stored safetensors
        }
        Path weights = null;
        if (backbone.contains("/") || backbone.contains(".") || Files.exists(Path.of(backbone))) {
            weights = Path.of(backbone);
            List<String> keys;
            if (backbone.endsWith(".npz")) {
                keys = BackboneWeights.npzKeys(weights);
            } else {
                try (NDManager m = Engine.getInstance().newBaseManager()) {
                    keys = List.copyOf(BackboneWeights.read(weights, m).keySet());
                }
            }
            backbone = BackboneWeights.inferArchitecture(keys, backbone).name();
            console.println("backbone " + backbone + " from " + weights);
        }
        TsmArchitecture.parse(backbone); // fail early on a bad name
        int crop = Flags.intFlag(cl, "crop", 224, 8);
        int scale = Flags.intFlag(cl, "scale", Math.max(crop, crop * 256 / 224), crop);
        int segments = Flags.intFlag(cl, "segments", 8, 1);
        VideoList train = VideoData.read(cl, "train", "train-list", null);
        VideoData.report(train, "train", console);
        VideoList val = null;
        if (!cl.hasOption("no-eval")) {
            val = VideoData.read(cl, "validation", "val-list", train.classes());
            VideoData.report(val, "validation", console);
        }
        TsmModelSpec spec = new TsmModelSpec(backbone, cl.getOptionValue("norm", "bn"), segments,
                Flags.intFlag(cl, "fold-div", 8, 2), !cl.hasOption("no-shift"), 1,
                Flags.floatAtLeast(cl, "dropout", 0.5f, 0f), crop, scale, train.classes());
        spec.build(); // fail early on a bad norm
        long seed = Flags.intFlag(cl, "seed", 0, Integer.MIN_VALUE);
        VideoClipDataset trainSet = VideoClipDataset.builder().setList(train).optSegments(segments).optTraining(true)
                .optTransform(new MultiScaleCrop(crop)).optSeed(seed).build();
        VideoClipDataset valSet = val == null ? null : VideoClipDataset.builder().setList(val).optSegments(segments)
                .optTraining(false).optTransform(ClipTransform.test(scale, crop)).build();
        int epochs = Flags.intFlag(cl, "epochs", 45, 1);
        VideoTrainer trainer = VideoTrainer.builder().setSpec(spec).setTrainSet(trainSet).optValSet(valSet)
                .optOutDir(out).optEpochs(epochs)
                .optClipsPerBatch(Flags.intFlag(cl, "clips-per-batch", 8, 1))
                .optIterSize(Flags.intFlag(cl, "iter-size", 1, 1)).optLr(Flags.floatAtLeast(cl, "lr", 0.0125f, 0f))
                .optLrSteps(LrSteps.parseMilestones(cl.getOptionValue("lr-steps", "26,36")))
                .optWeightDecay(Flags.floatAtLeast(cl, "weight-decay", 5e-4f, 0f))
                .optClipNorm(Flags.floatAtLeast(cl, "clip-grad", 20f, 0f)).optSeed(seed).optResume(cl.hasOption("resume"))
                .optCheckpointEvery(Flags.intFlag(cl, "checkpoint-every", 0, 0))
                .optEvalEvery(Flags.intFlag(cl, "eval-every", 1, 0))
                .optMaxSteps(Flags.intFlag(cl, "stop-at", Integer.MAX_VALUE, 1)).optInitialWeights(weights)
                .optConsole(console).build();
        console.printf(Locale.ROOT, "%s %s, norm %s, %d steps/epoch, engine %s -> %s%n",
                spec.shift() ? "TSM" : "TSN", backbone, spec.norm(), trainer.stepsPerEpoch(),
                Engine.getInstance().getEngineName(), out);
        TrainResult r;
        try (NDManager m = Engine.getInstance().newBaseManager()) {
            r = trainer.train(m);
        }
        if (r.startStep() >= r.steps()) {
            System.out.printf(Locale.ROOT, "nothing to train: the run is complete at step %d%n", r.steps());
        } else {
            System.out.printf(Locale.ROOT, "trained steps %d..%d in %.1f s; last epoch loss %.4f%n", r.startStep(),
                    r.steps(), r.seconds(), r.lastEpochLoss());
        }
        if (r.evaluation() != null) {
            r.evaluation().lines(false).forEach(System.out::println);
        }
        System.out.println("model: " + out.resolve(TsmModelSpec.JSON) + ", " + out.resolve(TsmModelSpec.PARAMS));
        long total = (long) trainer.stepsPerEpoch() * epochs;
        if (r.steps() < total) {
            System.out.println(Stopped.line("step", r.steps(), total));
        }
        return 0;
    }
}
