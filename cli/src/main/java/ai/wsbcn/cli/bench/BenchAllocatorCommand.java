package ai.wsbcn.cli.bench;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.wsbcn.cli.Command;
import ai.wsbcn.cli.Flags;
import ai.wsbcn.norm.bench.AllocatorProbe;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;

import java.util.Map;

/** {@code wsbcn bench allocator}: whether the native allocator makes training steps page-fault fresh memory. */
public final class BenchAllocatorCommand implements Command {

    @Override
    public String path() {
        return "bench allocator";
    }

    @Override
    public String summary() {
        return "time a full-size multiply with and without a small array kept in the step (allocator check)";
    }

    @Override
    public String example() {
        return "wsbcn bench allocator --engine pytorch";
    }

    @Override
    public Map<String, String> oldSpellings() {
        return Map.of("iterations", "repeat");
    }

    @Override
    public String usage() {
        return "[--repeat 50]   (compare: WSBCN_ALLOCATOR=glibc ./wsbcn bench allocator --engine pytorch)";
    }

    @Override
    public Options options() {
        Options o = new Options();
        o.addOption(Option.builder().longOpt("repeat").hasArg().argName("N")
                .desc("timed multiplies per kind of step (default 50)").build());
        return o;
    }

    @Override
    public int run(CommandLine cl) {
        AllocatorProbe probe = new AllocatorProbe(Flags.intFlag(cl, "repeat", 50, 1));
        try (NDManager m = Engine.getInstance().newBaseManager()) {
            probe.run(m, System.out);
        }
        return 0;
    }
}
