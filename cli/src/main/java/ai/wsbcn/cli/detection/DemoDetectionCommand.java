package ai.wsbcn.cli.detection;

import ai.djl.ndarray.NDManager;
import ai.wsbcn.cli.Command;
import ai.wsbcn.cli.demo.Demos;
import ai.wsbcn.cli.Flags;
import ai.wsbcn.detection.demo.DetectionDemo;

import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;

import java.nio.file.Path;
import java.util.Locale;

/** {@code wsbcn demo detection}: synthetic shapes -> Mask R-CNN (GN+WS, 1 image/batch) -> box and mask AP. */
public final class DemoDetectionCommand implements Command {

    @Override
    public String path() {
        return "demo detection";
    }

    @Override
    public String summary() {
        return "Mask R-CNN demo: synthetic COCO shapes, train at 1 image per batch with GN+WS, box/mask AP";
    }

    @Override
    public String example() {
        return "wsbcn demo detection --iters 600 --out demo-detection";
    }

    @Override
    public String usage() {
        return "[--out DIR] [--norm gn+ws] [--iters N] [--lr LR] [--size PX] [--train-images N]";
    }

    @Override
    public String defaultEngine() {
        return "pytorch";
    }

    @Override
    public Options options() {
        DetectionDemo.Options d = DetectionDemo.Options.defaults(Path.of("demo-detection"));
        Options o = new Options();
        o.addOption(Option.builder().longOpt("out").hasArg().argName("DIR")
                .desc("working folder (default ./demo-detection)").build());
        o.addOption(Option.builder().longOpt("norm").hasArg().argName("SPEC")
                .desc(Flags.normHelp(d.norm(), false)).build());
        o.addOption(Option.builder().longOpt("iters").hasArg().argName("N")
                .desc("SGD steps (default " + d.iters() + ")").build());
        o.addOption(Option.builder().longOpt("lr").hasArg().argName("LR")
                .desc("base learning rate (default " + d.lr() + ")").build());
        o.addOption(Option.builder().longOpt("size").hasArg().argName("PX")
                .desc("image side (default " + d.imageSize() + ")").build());
        o.addOption(Option.builder().longOpt("train-images").hasArg().argName("N")
                .desc("training images (default " + d.trainImages() + ")").build());
        return o;
    }

    @Override
    public int run(CommandLine cl) throws Exception {
        Path out = Path.of(cl.getOptionValue("out", "demo-detection"));
        DetectionDemo.Options d = DetectionDemo.Options.defaults(out);
        DetectionDemo.Options o = new DetectionDemo.Options(out, cl.getOptionValue("norm", d.norm()),
                Flags.intFlag(cl, "size", d.imageSize(), 1), Flags.intFlag(cl, "train-images", d.trainImages(), 1),
                d.valImages(), Flags.intFlag(cl, "iters", d.iters(), 1), Flags.floatFlag(cl, "lr", d.lr(), 0f),
                d.width(), d.fpnChannels(), d.seed(), d.drawImages());
        if (!Flags.engineChosen(cl)) {
            Flags.demoLog(cl).println("engine: PyTorch (1.5x faster than MXNet on CPU for this demo; --engine mxnet to"
                    + " change)");
        }
        try (NDManager m = DetectionFlags.manager(cl, true)) {
            DetectionDemo.Outcome r = DetectionDemo.run(o, m, Flags.demoLog(cl));
            System.out.printf(Locale.ROOT, "demo: box AP50 %.3f (target >= 0.5, %s), box AP %.3f, mask AP %.3f in"
                    + " %.1f min%n", r.eval().boxAp50(), Demos.verdict(r.eval().boxAp50() >= 0.5), r.eval().boxAp(),
                    r.eval().maskAp(), r.totalSeconds() / 60);
        }
        return 0;
    }
}
