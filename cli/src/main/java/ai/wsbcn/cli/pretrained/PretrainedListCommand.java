package ai.wsbcn.cli.pretrained;

import ai.wsbcn.cli.Command;
import ai.wsbcn.pretrained.registry.PretrainedRegistry;
import ai.wsbcn.pretrained.registry.RegistryEntry;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Options;

import java.util.List;

/** {@code wsbcn pretrained list}. */
public final class PretrainedListCommand implements Command {

    @Override
    public String path() {
        return "pretrained list";
    }

    @Override
    public String summary() {
        return "list the backbones in the local registry";
    }

    @Override
    public String example() {
        return "wsbcn pretrained list";
    }

    @Override
    public Options options() {
        return RegistryFlag.with(new Options());
    }

    @Override
    public int run(CommandLine cl) throws Exception {
        PretrainedRegistry r = RegistryFlag.registry(cl);
        List<RegistryEntry> entries = r.list();
        if (entries.isEmpty()) {
            System.out.println("no backbones in " + r.dir() + " (add one with 'wsbcn pretrained import')");
            return 0;
        }
        System.out.printf("%-24s %-18s %-10s %8s  %-16s %s%n", "name", "arch", "norm", "tensors", "sha256", "source");
        for (RegistryEntry e : entries) {
            System.out.printf("%-24s %-18s %-10s %8d  %-16s %s%n", e.name(), e.arch() == null ? "-" : e.arch(),
                    e.norm(), e.tensors(), e.sha256().substring(0, 16), e.source());
        }
        return 0;
    }
}
