package ai.wsbcn.cli;

import java.util.List;

/** Every sub-command, in the order {@code wsbcn --help} lists them. Add one line per new command. */
final class Commands {

    private Commands() {}

    static List<Command> all() {
        return List.of(
                new VersionCommand(),
                new ai.wsbcn.cli.eval.EvalCocoCommand(),
                new ai.wsbcn.cli.bench.BenchCocoEvalCommand()
        );
    }
}
