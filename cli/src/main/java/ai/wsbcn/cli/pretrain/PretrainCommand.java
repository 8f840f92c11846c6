package ai.wsbcn.cli.pretrain;

import ai.wsbcn.cli.Flags;
import ai.wsbcn.cli.Stopped;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.wsbcn.cli.Command;
import ai.wsbcn.norm.NormSpec;
import ai.wsbcn.pretrained.backbone.ResNetArch;
import ai.wsbcn.pretrained.data.ClassificationSource;
import ai.wsbcn.pretrained.data.ClassificationSplits;
import ai.wsbcn.pretrained.data.MnistLayout;
import ai.wsbcn.pretrained.data.Normalization;
import ai.wsbcn.pretrained.data.Split;
import ai.wsbcn.pretrained.train.ClassificationPretrainer;
import ai.wsbcn.pretrained.train.PretrainResult;
import ai.wsbcn.util.InvalidInputException;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/**
 * {@code wsbcn pretrain}: micro-batch classification training of a ResNet (issue 3) on Fashion-MNIST / MNIST (held in
 * memory) or an ImageNet-style folder ({@code DIR/train/<class>/*.jpg}, {@code DIR/val/<class>/*.jpg}).
 */
public final class PretrainCommand implements Command {

    @Override
    public String path() {
        return "pretrain";
    }

    @Override
    public String summary() {
        return "micro-batch classification pretraining (resnet8.., any norm; iteration size, resume, CSV, summary)";
    }

    @Override
    public String example() {
        return "wsbcn pretrain --arch resnet8 --norm gn+ws --micro-batch 1 --iter-size 32 --out runs/fmnist-gnws";
    }

    @Override
    public Map<String, String> oldSpellings() {
        return Map.of("wd", "weight-decay");
    }

    @Override
    public String usage() {
        return "--out DIR [--config FILE] [--dataset fashion-mnist|mnist|imagefolder] [--data DIR] [--arch resnet8]"
                + " [--norm bn] [--micro-batch 1] [--iter-size 32] [--samples 28800] [--lr 0.1] [options]";
    }

    @Override
    public boolean acceptsConfigFile() {
        return true;
    }

    @Override
    public String defaultEngine() {
        return "pytorch";
    }

    @Override
    public Options options() {
        Options o = new Options();
        o.addOption(opt("dataset", "NAME", "fashion-mnist (default), mnist (IDX files, gzip or not) or imagefolder"
                + " (DIR/train/<class>/<image>, DIR/val/<class>/<image>)"));
        o.addOption(opt("data", "DIR", "folder of the IDX files (default " + MnistLayout.SYSTEM_FASHION_MNIST
                + ") or of the train/ and val/ image folders"));
        o.addOption(opt("image-size", "S", "imagefolder: training crop and evaluation crop side (default 224)"));
        o.addOption(opt("resize", "R", "imagefolder: evaluation short side before the centre crop (default"
                + " S*256/224, i.e. 256 for 224)"));
        o.addOption(opt("arch", "A", "architecture (default resnet8): " + ResNetArch.names()));
        o.addOption(opt("norm", "SPEC", Flags.normHelp("bn", false)));
        o.addOption(opt("micro-batch", "B", "samples per forward pass (default 1)"));
        o.addOption(opt("iter-size", "N", "micro-batches per update; loss averaged over B*N samples (default 32)"));
        o.addOption(opt("samples", "S", "training budget in samples; updates = S / (B*N) (default 28800)"));
        o.addOption(opt("lr", "LR", "base learning rate (default 0.1)"));
        o.addOption(opt("momentum", "M", "default 0.9"));
        o.addOption(opt("weight-decay", "WD",
                "weight decay, not applied to norm parameters and biases (default 5e-4)"));
        o.addOption(opt("schedule", "cosine|step", "default cosine; step divides by 10 at 1/2 and 3/4"));
        o.addOption(opt("warmup", "U", "linear warmup updates from 0.1 x lr (default 0)"));
        o.addOption(opt("seed", "S", "default 0"));
        o.addOption(opt("threads", "T", "PyTorch engine intra-op threads (MXNet: set OMP_NUM_THREADS instead)"));
        o.addOption(opt("limit-train", "N", "use only the first N training samples"));
        o.addOption(opt("limit-test", "N", "use only the first N test samples"));
        o.addOption(opt("checkpoint-every", "K", "also checkpoint every K updates (default: updates / 10)"));
        o.addOption(opt("out", "DIR", "output folder (required): config.json, train_log.csv, loss_curve.png, checkpoint.bin, summary.json"));
        o.addOption(Option.builder().longOpt("resume").desc("continue from DIR/checkpoint.bin").build());
        o.addOption(opt("stop-at", "U", "stop after this update (checkpointed); continue later with --resume"));
        return o;
    }

    private static Option opt(String name, String arg, String desc) {
        return Option.builder().longOpt(name).hasArg().argName(arg).desc(desc).build();
    }

    @Override
    public int run(CommandLine cl) throws Exception {
        PrintStream console = Flags.console(cl);
        Flags.required(cl, "out");
        String dataset = cl.getOptionValue("dataset", "fashion-mnist").toLowerCase(Locale.ROOT);
        if (!dataset.equals("fashion-mnist") && !dataset.equals("mnist") && !dataset.equals("imagefolder")) {
            throw new InvalidInputException("--dataset: unknown '" + dataset + "' (fashion-mnist, mnist, imagefolder)");
        }
        if (cl.hasOption("threads")) {
            String t = Integer.toString(Flags.intFlag(cl, "threads", 1, 1));
            System.setProperty("ai.djl.pytorch.num_threads", t);
            System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
        }
        if (dataset.equals("imagefolder") && !cl.hasOption("data")) {
            throw new InvalidInputException("--dataset imagefolder needs --data DIR (with DIR/train and DIR/val)");
        }
        Path data = Path.of(cl.getOptionValue("data", MnistLayout.SYSTEM_FASHION_MNIST.toString()));
        String arch = ResNetArch.of(cl.getOptionValue("arch", "resnet8")).id();
        NormSpec norm;
        try {
            norm = NormSpec.parse(cl.getOptionValue("norm", "bn"));
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException("--norm: " + e.getMessage(), e);
        }
        int microBatch = Flags.intFlag(cl, "micro-batch", 1, 1);
        int iterSize = Flags.intFlag(cl, "iter-size", 32, 1);
        long samples = Flags.intFlag(cl, "samples", 28_800, 1);
        long updates = Math.max(1, samples / ((long) microBatch * iterSize));
        ClassificationPretrainer pretrainer = ClassificationPretrainer.builder().setArch(arch).setNorm(norm)
                .setOutDir(Path.of(cl.getOptionValue("out"))).optMicroBatch(microBatch).optIterSize(iterSize)
                .optSamples(samples).optLr(Flags.floatFlag(cl, "lr", 0.1f, 0f))
                .optMomentum(Flags.floatAtLeast(cl, "momentum", 0.9f, 0f))
                .optWeightDecay(Flags.floatAtLeast(cl, "weight-decay", 5e-4f, 0f))
                .optSchedule(cl.getOptionValue("schedule", "cosine"))
                .optWarmup(Flags.intFlag(cl, "warmup", 0, 0)).optSeed(Flags.intFlag(cl, "seed", 0, Integer.MIN_VALUE))
                .optResume(cl.hasOption("resume")).optConsole(console)
                .optStopAfter(Flags.intFlag(cl, "stop-at", Integer.MAX_VALUE, 1))
                .optCheckpointEvery(Flags.intFlag(cl, "checkpoint-every", (int) Math.max(1, updates / 10), 0))
                .build();
        int limitTrain = Flags.intFlag(cl, "limit-train", Integer.MAX_VALUE, 1);
        int limitTest = Flags.intFlag(cl, "limit-test", Integer.MAX_VALUE, 1);
        // Without the global --engine flag pretrain runs on PyTorch: on 2 cores it is 1.7x faster than MXNet (with
        // MKL-DNN) at micro-batch 32 and as fast at micro-batch 1 (see README, fmnist-micro).
        String engineName = Flags.engineChosen(cl) ? Engine.getInstance().getEngineName() : "PyTorch";
        ClassificationSplits sources = dataset.equals("imagefolder")
                ? ClassificationSplits.imageFolder(data, Flags.intFlag(cl, "image-size", 224, 8), resizeFlag(cl),
                        pretrainer.seed(), limitTrain, limitTest)
                : ClassificationSplits.idx(data,
                        dataset.equals("mnist") ? Normalization.MNIST : Normalization.FASHION_MNIST,
                        limitTrain, limitTest);
        try (NDManager m = Engine.getEngine(engineName).newBaseManager();
                ClassificationSource train = sources.open(m, Split.TRAIN);
                ClassificationSource test = sources.open(m, Split.TEST)) {
            console.printf(Locale.ROOT, "%s %s on %s (%d train, %d test): B=%d x N=%d, %d updates, engine %s%n",
                    arch, norm, dataset, train.size(), test.size(), microBatch, iterSize, pretrainer.updates(),
                    m.getEngine().getEngineName());
            PretrainResult r = pretrainer.train(m, train, test);
            if (Double.isNaN(r.top1Error())) {
                System.out.println(Stopped.line("update", r.updates(), pretrainer.updates()));
                return 0;
            }
            if (Double.isNaN(r.lastLoss())) { // a resumed run that was complete: evaluated, nothing trained
                System.out.printf(Locale.ROOT, "test error %.2f%% (top-5 %.2f%%) after %d updates; nothing to"
                        + " train: the run is complete%n", r.top1Error(), r.top5Error(), r.updates());
                return 0;
            }
            System.out.printf(Locale.ROOT, "test error %.2f%% (top-5 %.2f%%), %d updates in %.1f s (%.2f ms per"
                    + " micro-step), last loss %.4f%n", r.top1Error(), r.top5Error(), r.updates(), r.seconds(),
                    r.msPerMicroStep(), r.lastLoss());
        }
        return 0;
    }

    /** {@code --resize}, or 0 for "S * 256 / 224". */
    private static int resizeFlag(CommandLine cl) {
        return cl.hasOption("resize") ? Flags.intFlag(cl, "resize", 256, 8) : 0;
    }
}
