package ai.wsbcn.cli.pretrained;

import ai.wsbcn.cli.Command;
import ai.wsbcn.util.InvalidInputException;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;

import java.nio.file.Path;

/** {@code wsbcn pretrained export NAME --format safetensors|npz|params --out FILE}. */
public final class PretrainedExportCommand implements Command {

    @Override
    public String path() {
        return "pretrained export";
    }

    @Override
    public String summary() {
        return "write a registered backbone as safetensors, npz or DJL .params";
    }

    @Override
    public String example() {
        return "wsbcn pretrained export resnet50-gn-ws --format safetensors --out r50.safetensors";
    }

    @Override
    public String usage() {
        return "NAME --format safetensors|npz|params --out FILE";
    }

    @Override
    public Options options() {
        Options o = new Options();
        o.addOption(Option.builder().longOpt("format").hasArg().argName("FMT").desc("safetensors, npz or params")
                .build());
        o.addOption(Option.builder().longOpt("out").hasArg().argName("FILE").desc("output file").build());
        return RegistryFlag.with(o);
    }

    @Override
    public int run(CommandLine cl) throws Exception {
        if (cl.getArgList().size() != 1 || !cl.hasOption("out")) {
            throw new InvalidInputException("usage: wsbcn pretrained export " + usage());
        }
        Path out = Path.of(cl.getOptionValue("out"));
        RegistryFlag.registry(cl).export(cl.getArgList().get(0), cl.getOptionValue("format", "safetensors"), out);
        System.out.println("wrote " + out);
        return 0;
    }
}
