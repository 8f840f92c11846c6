package ai.wsbcn.cli.demo;

import ai.wsbcn.cli.Command;
import ai.wsbcn.cli.Main;
import ai.wsbcn.util.InvalidInputException;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code wsbcn demo}: the README's first command. Runs the pipeline demos that exist, each on its own synthetic data
 * set generated on the spot: DeepLabV3 trained at batch 1 with BCN+WS (mIoU on its val split) and TSM versus TSN on
 * moving shapes (top-1), after the Mask R-CNN demo (synthetic COCO shapes, GN+WS at 1 image per batch, box/mask AP),
 * which runs first.
 */
public final class DemoCommand implements Command {

    private static final List<String> DEMOS = List.of("detection", "segmentation", "video");

    @Override
    public String path() {
        return "demo";
    }

    @Override
    public String summary() {
        return "run the demos on generated data (detection: Mask R-CNN + GN+WS; segmentation: DeepLabV3 + BCN+WS;"
                + " video: TSM vs TSN)";
    }

    @Override
    public String example() {
        return "wsbcn demo --only segmentation --out wsbcn-demo";
    }

    @Override
    public String usage() {
        return "[--out DIR] [--only detection|segmentation|video]   (or 'demo detection' ... with their flags)";
    }

    @Override
    public String defaultEngine() {
        return "each demo's own: pytorch for detection, mxnet for the others";
    }

    @Override
    public Options options() {
        Options o = new Options();
        o.addOption(Option.builder().longOpt("out").hasArg().argName("DIR")
                .desc("output folder (default wsbcn-demo)").build());
        o.addOption(Option.builder().longOpt("only").hasArg().argName("DEMO").desc("run one demo").build());
        return o;
    }

    @Override
    public int run(CommandLine cl) {
        Path out = Path.of(cl.getOptionValue("out", "wsbcn-demo"));
        List<String> demos = DEMOS;
        if (cl.hasOption("only")) {
            String only = cl.getOptionValue("only");
            if (!DEMOS.contains(only)) {
                throw new InvalidInputException("--only must be one of " + DEMOS + ", got '" + only + "'");
            }
            demos = List.of(only);
        }
        int worst = 0;
        List<String> summary = new ArrayList<>();
        for (String demo : demos) {
            System.out.println("==> wsbcn demo " + demo + " --out " + out.resolve(demo));
            long t0 = System.nanoTime();
            List<String> args = new ArrayList<>(List.of("demo", demo, "--out", out.resolve(demo).toString()));
            if (cl.hasOption("engine")) {
                // the sub-demo picks its own default engine unless one is given
                args.addAll(List.of("--engine", cl.getOptionValue("engine")));
            }
            if (cl.hasOption("quiet")) {
                args.add("--quiet");
            }
            int status = Main.run(args.toArray(new String[0]));
            summary.add(String.format("%-13s exit %d after %.0f s, outputs in %s", demo, status,
                    (System.nanoTime() - t0) / 1e9, out.resolve(demo)));
            worst = Math.max(worst, status);
        }
        System.out.println();
        System.out.println("demo summary:");
        summary.forEach(s -> System.out.println("  " + s));
        return worst;
    }
}
