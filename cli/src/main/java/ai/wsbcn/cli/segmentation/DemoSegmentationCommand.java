package ai.wsbcn.cli.segmentation;

import ai.wsbcn.cli.Flags;
import ai.djl.ndarray.NDManager;
import ai.wsbcn.cli.Command;
import ai.wsbcn.cli.demo.Demos;
import ai.wsbcn.segmentation.demo.SegmentationDemo;
import ai.wsbcn.segmentation.eval.SegmentationMetrics;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/** {@code wsbcn demo segmentation}: synthetic VOC data, a small DeepLabV3 trained at batch 1, mIoU on its val split. */
public final class DemoSegmentationCommand implements Command {

    @Override
    public String path() {
        return "demo segmentation";
    }

    @Override
    public String summary() {
        return "train a small DeepLabV3 at batch 1 (BCN+WS) on synthetic VOC-format data and report val mIoU";
    }

    @Override
    public String example() {
        return "wsbcn demo segmentation --iters 300 --out demo-segmentation";
    }

    @Override
    public String usage() {
        return "[--out DIR] [--norm bcn+ws] [--iters N] [--lr LR] [--crop PX]";
    }

    @Override
    public Options options() {
        SegmentationDemo.Settings d = SegmentationDemo.Settings.defaults();
        Options o = new Options();
        o.addOption(Option.builder().longOpt("out").hasArg().argName("DIR")
                .desc("working folder (default ./demo-segmentation)").build());
        o.addOption(Option.builder().longOpt("norm").hasArg().argName("SPEC")
                .desc(Flags.normHelp(d.norm(), true)).build());
        o.addOption(Option.builder().longOpt("iters").hasArg().argName("N")
                .desc("SGD steps (default " + d.iters() + ")").build());
        o.addOption(Option.builder().longOpt("lr").hasArg().argName("LR")
                .desc("base learning rate (default " + d.lr() + ")").build());
        o.addOption(Option.builder().longOpt("crop").hasArg().argName("PX")
                .desc("training crop (default " + d.crop() + ")").build());
        o.addOption(Option.builder().longOpt("batch").hasArg().argName("N")
                .desc("images per micro-batch (default " + d.batch() + ")").build());
        return o;
    }

    @Override
    public int run(CommandLine cl) throws Exception {
        SegmentationDemo.Settings d = SegmentationDemo.Settings.defaults();
        SegmentationDemo.Settings s = new SegmentationDemo.Settings(cl.getOptionValue("norm", d.norm()),
                Flags.intFlag(cl, "iters", d.iters(), 1), Flags.floatFlag(cl, "lr", d.lr(), 0f),
                Flags.intFlag(cl, "crop", d.crop(), 16), d.trainImages(), d.valImages(), d.imageSize(), d.seed(),
                Flags.intFlag(cl, "batch", d.batch(), 1));
        Path out = Files.createDirectories(Path.of(cl.getOptionValue("out", "demo-segmentation")));
        long t0 = System.nanoTime();
        try (NDManager manager = NDManager.newBaseManager()) {
            SegmentationMetrics m = SegmentationDemo.run(s, out, manager, Flags.demoLog(cl));
            System.out.printf(Locale.ROOT, "demo: val mIoU %.4f (target >= 0.60, %s) in %.1f min; predictions in %s%n",
                    m.mIoU(), Demos.verdict(m.mIoU() >= 0.6), (System.nanoTime() - t0) / 60e9, out.resolve("val_pred"));
        }
        return 0;
    }
}
