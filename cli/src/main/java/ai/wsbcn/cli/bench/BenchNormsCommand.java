package ai.wsbcn.cli.bench;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.wsbcn.cli.Command;
import ai.wsbcn.cli.eval.IntFlag;
import ai.wsbcn.norm.bench.NormLayerBenchmark;
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
        return "[--repeat 11] [--warmup 3]   (compare: /usr/bin/python3 bench/pytorch_norms.py)";
    }

    @Override
    public Options options() {
        Options o = new Options();
        o.addOption(Option.builder().longOpt("repeat").hasArg().argName("N").desc("timed runs (default 11)").build());
        o.addOption(Option.builder().longOpt("warmup").hasArg().argName("N").desc("untimed runs (default 3)")
                .build());
        return o;
    }

    @Override
    public int run(CommandLine cl) {
        NormLayerBenchmark bench = new NormLayerBenchmark(IntFlag.get(cl, "repeat", 11, 1),
                IntFlag.get(cl, "warmup", 3, 0));
        try (NDManager m = Engine.getInstance().newBaseManager()) {
            bench.run(m, System.out);
        }
        return 0;
    }
}
