package ai.wsbcn.cli.pretrained;

import ai.wsbcn.cli.Command;
import ai.wsbcn.pretrained.io.LoadReport;
import ai.wsbcn.util.InvalidInputException;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Options;

/** {@code wsbcn pretrained verify NAME}. */
public final class PretrainedVerifyCommand implements Command {

    @Override
    public String path() {
        return "pretrained verify";
    }

    @Override
    public String summary() {
        return "check a registered backbone's sha256 and that it loads into its architecture";
    }

    @Override
    public String example() {
        return "wsbcn pretrained verify resnet50-gn-ws";
    }

    @Override
    public String usage() {
        return "NAME";
    }

    @Override
    public Options options() {
        return RegistryFlag.with(new Options());
    }

    @Override
    public int run(CommandLine cl) throws Exception {
        if (cl.getArgList().size() != 1) {
            throw new InvalidInputException("usage: wsbcn pretrained verify NAME");
        }
        LoadReport report = RegistryFlag.registry(cl).verify(cl.getArgList().get(0));
        System.out.println(cl.getArgList().get(0) + ": sha256 ok; " + report);
        return report.isComplete() ? 0 : 1;
    }
}
