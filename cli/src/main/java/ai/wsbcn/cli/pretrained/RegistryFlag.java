package ai.wsbcn.cli.pretrained;

import ai.wsbcn.pretrained.registry.PretrainedRegistry;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;

import java.nio.file.Path;

/** The {@code --registry DIR} flag shared by the {@code pretrained} commands. */
final class RegistryFlag {

    private RegistryFlag() {}

    static Options with(Options o) {
        o.addOption(Option.builder().longOpt("registry").hasArg().argName("DIR")
                .desc("registry directory (default $WSBCN_HOME/pretrained or ~/.wsbcn/pretrained)").build());
        return o;
    }

    static PretrainedRegistry registry(CommandLine cl) {
        return cl.hasOption("registry") ? new PretrainedRegistry(Path.of(cl.getOptionValue("registry")))
                : PretrainedRegistry.defaultRegistry();
    }
}
