package ai.wsbcn.cli.bench;

import ai.wsbcn.cli.Flags;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.wsbcn.cli.Command;
import ai.wsbcn.norm.bench.NormLayerBenchmark;
import ai.wsbcn.pretrained.bench.AbSwitch;
import ai.wsbcn.pretrained.bench.ResNetStepBenchmark;
import ai.wsbcn.util.InvalidInputException;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code wsbcn bench norms}: forward+backward time of each norm layer on ResNet-50 stage shapes, then ResNet
 * training steps per norm, timed interleaved ({@link ResNetStepBenchmark}).
 */
public final class BenchNormsCommand implements Command {

    private static final Pattern SIZE = Pattern.compile("(\\d{1,6})x(\\d{1,6})");

    @Override
    public String path() {
        return "bench norms";
    }

    @Override
    public String summary() {
        return "time each norm layer (and a 3x3 conv with/without WS) on ResNet-50 shapes, then ResNet-50 training"
                + " steps per norm, interleaved";
    }

    @Override
    public String example() {
        return "wsbcn bench norms --steps-only --sizes 1x224 --norms gn+ws,bcn+ws";
    }

    @Override
    public String usage() {
        return "[--repeat 11] [--warmup 3] [--layers-only | --steps-only] [--arch resnet50]"
                + " [--sizes 1x224,2x224,1x512,2x512] [--steps 5] [--norms frozen-bn,gn,gn+ws,bcn+ws]"
                + " [--ab PROPERTY[=ON,OFF]]"
                + "   (compare: /usr/bin/python3 bench/pytorch_norms.py)";
    }

    @Override
    public Options options() {
        Options o = new Options();
        o.addOption(Option.builder().longOpt("repeat").hasArg().argName("N").desc("timed runs (default 11)").build());
        o.addOption(Option.builder().longOpt("warmup").hasArg().argName("N")
                .desc("untimed runs (default 3; the step part warms up min(N, 2) steps)").build());
        o.addOption(Option.builder().longOpt("layers-only").desc("skip the ResNet training steps").build());
        o.addOption(Option.builder().longOpt("steps-only").desc("skip the single-layer timings").build());
        o.addOption(Option.builder().longOpt("arch").hasArg().argName("ARCH")
                .desc("network of the training-step part (default resnet50)").build());
        o.addOption(Option.builder().longOpt("sizes").hasArg().argName("BxS,...")
                .desc("images x side of the training steps (default 1x224,2x224,1x512,2x512)").build());
        o.addOption(Option.builder().longOpt("steps").hasArg().argName("N")
                .desc("timed rounds per setting; a round times one step of every norm (default 5)").build());
        o.addOption(Option.builder().longOpt("norms").hasArg().argName("LIST")
                .desc("norms of the training-step part, interleaved (default frozen-bn,gn,gn+ws,bcn+ws)").build());
        o.addOption(Option.builder().longOpt("ab").hasArg().argName("PROPERTY[=ON,OFF]")
                .desc("A/B a system property instead of comparing norms: each norm's one model is stepped with"
                        + " -DPROPERTY=true and =false (or =ON and =OFF) in turn (e.g. wsbcn.norm.hostWs);"
                        + " implies --steps-only").build());
        return o;
    }

    private static int[][] sizes(String spec) {
        String[] parts = spec.split(",");
        int[][] out = new int[parts.length][];
        for (int i = 0; i < parts.length; i++) {
            Matcher m = SIZE.matcher(parts[i].trim());
            if (!m.matches()) {
                throw new InvalidInputException("--sizes: expected BATCHxSIDE items like 1x224, got '" + parts[i]
                        + "'");
            }
            out[i] = new int[] {Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2))};
            if (out[i][0] < 1 || out[i][1] < 32) {
                throw new InvalidInputException("--sizes: batch must be >= 1 and side >= 32, got '" + parts[i] + "'");
            }
        }
        return out;
    }

    @Override
    public int run(CommandLine cl) {
        if (cl.hasOption("layers-only") && cl.hasOption("steps-only")) {
            throw new InvalidInputException("--layers-only and --steps-only exclude each other");
        }
        int warmup = Flags.intFlag(cl, "warmup", 3, 0);
        NormLayerBenchmark bench = new NormLayerBenchmark(Flags.intFlag(cl, "repeat", 11, 1), warmup);
        // parsed before the (minutes-long) layer part, so a typo fails at once
        int[][] settings = sizes(cl.getOptionValue("sizes", "1x224,2x224,1x512,2x512"));
        List<String> norms = Flags.stringList(cl, "norms", String.join(",", ResNetStepBenchmark.NORMS));
        AbSwitch ab = null;
        if (cl.hasOption("ab")) {
            if (cl.hasOption("layers-only")) {
                throw new InvalidInputException("--ab switches a property between training steps; it excludes"
                        + " --layers-only");
            }
            try {
                ab = AbSwitch.parse(cl.getOptionValue("ab"));
            } catch (IllegalArgumentException e) {
                throw new InvalidInputException("--ab: " + e.getMessage());
            }
        }
        ResNetStepBenchmark steps;
        try {
            // the constructor parses every norm string before any model is built
            steps = new ResNetStepBenchmark(cl.getOptionValue("arch", "resnet50"), Flags.intFlag(cl, "steps", 5, 1),
                    Math.min(warmup, 2), norms, ab);
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException("--norms: " + e.getMessage());
        }
        try (NDManager m = Engine.getInstance().newBaseManager()) {
            if (!cl.hasOption("steps-only") && ab == null) {
                bench.run(m, System.out);
                System.out.println();
            }
            if (!cl.hasOption("layers-only")) {
                steps.run(m, settings, System.out);
            }
        }
        return 0;
    }
}
