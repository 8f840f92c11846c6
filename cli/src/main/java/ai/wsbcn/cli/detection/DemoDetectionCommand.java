package ai.wsbcn.cli.detection;

import ai.djl.ndarray.NDManager;
import ai.wsbcn.cli.Command;
import ai.wsbcn.cli.Flags;
import ai.wsbcn.detection.demo.DetectionDemo;
import ai.wsbcn.util.InvalidInputException;

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
        Options o = new Options();
        o.addOption(Option.builder().longOpt("out").hasArg().argName("DIR")
                .desc("working folder (default ./demo-detection)").build());
        o.addOption(Option.builder().longOpt("norm").hasArg().argName("SPEC").desc(Flags.normHelp("gn+ws", false)).build());
        o.addOption(Option.builder().longOpt("iters").hasArg().argName("N").desc("SGD steps").build());
        o.addOption(Option.builder().longOpt("lr").hasArg().argName("LR").desc("base learning rate").build());
        o.addOption(Option.builder().longOpt("size").hasArg().argName("PX").desc("image size").build());
        o.addOption(Option.builder().longOpt("train-images").hasArg().argName("N").desc("training images").build());
        return o;
    }

    private static int intOf(CommandLine cl, String k, int d) {
        try {
            int v = Integer.parseInt(cl.getOptionValue(k, Integer.toString(d)));
            if (v > 0) {
                return v;
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw new InvalidInputException("--" + k + ": expected a positive integer, got '" + cl.getOptionValue(k) + "'");
    }

    @Override
    public int run(CommandLine cl) throws Exception {
        Path out = Path.of(cl.getOptionValue("out", "demo-detection"));
        DetectionDemo.Options d = DetectionDemo.Options.defaults(out);
        float lr;
        try {
            lr = Float.parseFloat(cl.getOptionValue("lr", Float.toString(d.lr())));
        } catch (NumberFormatException e) {
            throw new InvalidInputException("--lr: expected a number, got '" + cl.getOptionValue("lr") + "'");
        }
        DetectionDemo.Options o = new DetectionDemo.Options(out, cl.getOptionValue("norm", d.norm()),
                intOf(cl, "size", d.imageSize()), intOf(cl, "train-images", d.trainImages()), d.valImages(),
                intOf(cl, "iters", d.iters()), lr, d.width(), d.fpnChannels(), d.seed(), d.drawImages());
        if (!Flags.engineChosen(cl)) {
            System.out.println("engine: PyTorch (1.5x faster than MXNet on CPU for this demo; --engine mxnet to"
                    + " change)");
        }
        try (NDManager m = DetectionFlags.manager(cl, true)) {
            DetectionDemo.Outcome r = DetectionDemo.run(o, m, System.out);
            System.out.printf(Locale.ROOT, "demo: box AP50 %.3f (target >= 0.5), box AP %.3f, mask AP %.3f in %.1f min%n",
                    r.eval().boxAp50(), r.eval().boxAp(), r.eval().maskAp(), r.totalSeconds() / 60);
        }
        return 0;
    }
}
