package ai.wsbcn.cli.bench;

import ai.wsbcn.cli.Flags;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.wsbcn.cli.Command;
import ai.wsbcn.norm.bench.NormLayerBenchmark;
import ai.wsbcn.pretrained.bench.ResNetStepBenchmark;
import ai.wsbcn.util.InvalidInputException;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;

/** {@code wsbcn bench norms}: forward+backward time of each norm layer on ResNet-50 stage shapes. */
public final class BenchNormsCommand implements Command {

    @Override
    public String path() {
        return "bench norms";
    }

    @Override
    public String summary() {
        return "time each norm layer (and a 3x3 conv with/without WS), forward+backward, on ResNet-50 shapes";
    }

    @Override
    public String usage() {
        return "[--repeat 11] [--warmup 3] [--layers-only] [--arch resnet50] [--sizes 1x224,2x224,1x512,2x512]"
                + "   (compare: /usr/bin/python3 bench/pytorch_norms.py)";
    }

    @Override
    public Options options() {
        Options o = new Options();
        o.addOption(Option.builder().longOpt("repeat").hasArg().argName("N").desc("timed runs (default 11)").build());
        o.addOption(Option.builder().longOpt("warmup").hasArg().argName("N").desc("untimed runs (default 3)")
                .build());
        o.addOption(Option.builder().longOpt("layers-only").desc("skip the ResNet training steps").build());
        o.addOption(Option.builder().longOpt("arch").hasArg().argName("ARCH")
                .desc("network of the training-step part (default resnet50)").build());
        o.addOption(Option.builder().longOpt("sizes").hasArg().argName("BxS,...")
                .desc("images x side of the training steps (default 1x224,2x224,1x512,2x512)").build());
        o.addOption(Option.builder().longOpt("steps").hasArg().argName("N")
                .desc("timed training steps per setting (default 3)").build());
        return o;
    }

    private static int[][] sizes(String spec) {
        String[] parts = spec.split(",");
        int[][] out = new int[parts.length][];
        for (int i = 0; i < parts.length; i++) {
            String[] bs = parts[i].trim().split("x");
            if (bs.length != 2) {
                throw new InvalidInputException("--sizes: expected BATCHxSIDE items like 1x224, got '" + parts[i] + "'");
            }
            out[i] = new int[] {Integer.parseInt(bs[0]), Integer.parseInt(bs[1])};
        }
        return out;
    }

    @Override
    public int run(CommandLine cl) {
        NormLayerBenchmark bench = new NormLayerBenchmark(Flags.intFlag(cl, "repeat", 11, 1),
                Flags.intFlag(cl, "warmup", 3, 0));
        try (NDManager m = Engine.getInstance().newBaseManager()) {
            bench.run(m, System.out);
            if (!cl.hasOption("layers-only")) {
                System.out.println();
                new ResNetStepBenchmark(cl.getOptionValue("arch", "resnet50"), Flags.intFlag(cl, "steps", 3, 1))
                        .run(m, sizes(cl.getOptionValue("sizes", "1x224,2x224,1x512,2x512")), System.out);
            }
        }
        return 0;
    }
}
