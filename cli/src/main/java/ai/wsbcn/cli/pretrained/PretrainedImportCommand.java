package ai.wsbcn.cli.pretrained;

import ai.wsbcn.cli.Command;
import ai.wsbcn.pretrained.io.KeyRenames;
import ai.wsbcn.pretrained.registry.PretrainedRegistry;
import ai.wsbcn.norm.NormSpec;
import ai.wsbcn.pretrained.backbone.ResNetArch;
import ai.wsbcn.util.InvalidInputException;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** {@code wsbcn pretrained import PATH --name NAME [--arch A] [--norm SPEC] [--rename FROM=TO ...]}. */
public final class PretrainedImportCommand implements Command {

    @Override
    public String path() {
        return "pretrained import";
    }

    @Override
    public String summary() {
        return "import a .pth/.pt/.pth.tar/.safetensors/.npz or DJL .params checkpoint into the registry (never runs"
                + " pickled code)";
    }

    @Override
    public String example() {
        return "wsbcn pretrained import R-50-GN-WS.pth.tar --name resnet50-gn-ws --arch resnet50"
                + " --norm 'gn(32)+ws'";
    }

    @Override
    public String usage() {
        return "PATH --name NAME [--arch ARCH] [--norm gn+ws] [--prefix P] [--rename FROM=TO ...] [--official-bcn]"
                + " [--allow-partial]";
    }

    @Override
    public Options options() {
        Options o = new Options();
        o.addOption(Option.builder().longOpt("name").hasArg().argName("NAME").desc("registry name").build());
        o.addOption(Option.builder().longOpt("arch").hasArg().argName("ARCH")
                .desc("architecture to check the tensors against (resnet8, resnet18, ..., resnext101_32x8d)").build());
        o.addOption(Option.builder().longOpt("norm").hasArg().argName("SPEC").desc("norm it was trained with"
                + " (default gn+ws)").build());
        o.addOption(Option.builder().longOpt("prefix").hasArg().argName("P")
                .desc("keep only the tensors whose name starts with P, without it (e.g. 'backbone.' of an mmdetection"
                        + " detector), before --rename").build());
        o.addOption(Option.builder().longOpt("rename").hasArgs().argName("FROM=TO")
                .desc("regex rename rule for keys (repeatable, first match wins)").build());
        o.addOption(Option.builder().longOpt("allow-partial").desc("store it even if, with --arch, backbone tensors"
                + " are missing, extra or of another shape (refused otherwise)").build());
        o.addOption(Option.builder().longOpt("official-bcn").desc("apply the official BCN release's names"
                + " (bn.weight -> batch_weight, ...)").build());
        return RegistryFlag.with(o);
    }

    @Override
    public int run(CommandLine cl) throws Exception {
        if (cl.getArgList().size() != 1 || !cl.hasOption("name")) {
            throw new InvalidInputException("usage: wsbcn pretrained import " + usage());
        }
        List<String> renames = new ArrayList<>();
        if (cl.hasOption("rename")) {
            renames.addAll(Arrays.asList(cl.getOptionValues("rename")));
        }
        if (cl.hasOption("official-bcn")) {
            renames.addAll(KeyRenames.OFFICIAL_BCN);
        }
        String norm = cl.getOptionValue("norm", "gn+ws");
        String advice = groupCountAdvice(cl.getOptionValue("arch"), NormSpec.parse(norm));
        if (advice != null) {
            System.err.println("note: " + advice);
        }
        PretrainedRegistry r = RegistryFlag.registry(cl);
        PretrainedRegistry.ImportResult result = r.importFile(Path.of(cl.getArgList().get(0)),
                cl.getOptionValue("name"), cl.getOptionValue("arch"), norm, cl.getOptionValue("prefix"), renames,
                cl.hasOption("allow-partial"));
        System.out.println("imported " + result.entry().name() + " (" + result.entry().tensors() + " tensors, sha256 "
                + result.entry().sha256() + ") into " + r.dir());
        if (result.report() != null) {
            System.out.println("against " + result.entry().arch() + ": " + result.report());
        }
        return 0;
    }

    /**
     * Why: GN weights are per channel, so a checkpoint trained with another group count loads without a complaint and
     * computes something else. ImageNet-style ResNets trained elsewhere with GN or BCN (detectron2, mmdetection, the
     * official WS/BCN code) use 32 groups in every layer, where gn/bcn without a count give the 64-channel layers
     * fewer. Returns the advice, or null when the spec cannot differ from 32 groups there.
     */
    static String groupCountAdvice(String arch, NormSpec spec) {
        boolean grouped = spec.kind() == NormSpec.Kind.GN || spec.kind() == NormSpec.Kind.BCN;
        if (arch == null || !grouped || spec.groups() != 0 || ResNetArch.of(arch).smallStem()
                || spec.groupsFor(64) == 32) {
            return null;
        }
        // without a count, the canonical form is the family's token and the WS suffix: put the count between them
        String with32 = spec.kind().token() + "(32)" + spec.toString().substring(spec.kind().token().length());
        return "--norm " + spec + " gives 64-channel layers " + spec.groupsFor(64) + " groups; a " + arch
                + " trained with 32 groups in every layer (torch.nn.GroupNorm(32, C) in detectron2 and mmdetection,"
                + " the official WS/BCN code) needs --norm " + with32 + ", here and wherever it is used: its weights"
                + " load either way, but compute something else";
    }
}
