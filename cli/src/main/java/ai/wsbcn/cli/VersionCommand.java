package ai.wsbcn.cli;

import ai.djl.engine.Engine;
import ai.wsbcn.util.EngineKernels;
import ai.wsbcn.util.NativeAllocator;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Options;

/** Prints versions and the engine in use: the first thing to paste into a bug report. */
final class VersionCommand implements Command {

    @Override
    public String path() {
        return "version";
    }

    @Override
    public String summary() {
        return "print wsbcn, DJL and engine versions";
    }

    @Override
    public String example() {
        return "wsbcn version --engine pytorch";
    }

    @Override
    public Options options() {
        return new Options();
    }

    @Override
    public int run(CommandLine cl) {
        Engine engine = Engine.getInstance();
        System.out.println("wsbcn " + Main.version());
        System.out.println("DJL " + Engine.getDjlVersion());
        System.out.println("engine " + engine.getEngineName() + " " + engine.getVersion() + ", kernels: "
                + EngineKernels.label(engine.getEngineName()));
        System.out.println("allocator " + NativeAllocator.describe());
        return 0;
    }
}
