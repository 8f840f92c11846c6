package ai.wsbcn.cli.eval;

import ai.wsbcn.cli.Flags;
import ai.wsbcn.cli.JsonFlag;
import ai.wsbcn.cli.Command;
import ai.wsbcn.segmentation.data.VocList;
import ai.wsbcn.segmentation.data.VocPalette;
import ai.wsbcn.segmentation.eval.SegmentationMetrics;
import ai.wsbcn.segmentation.eval.VocEvaluator;
import ai.wsbcn.util.TextLines;
import ai.wsbcn.util.InvalidInputException;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;

import java.io.PrintStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** {@code wsbcn eval voc}: mIoU of a folder of predicted label PNGs against a folder of ground-truth PNGs. */
public final class EvalVocCommand implements Command {

    @Override
    public String path() {
        return "eval voc";
    }

    @Override
    public String summary() {
        return "VOC segmentation mIoU of predicted label PNGs (confusion matrix, per-class IoU, pixel accuracy)";
    }

    @Override
    public String example() {
        return "wsbcn eval voc --gt-dir VOC2012/SegmentationClass --pred-dir preds/ --list"
                + " VOC2012/ImageSets/Segmentation/val.txt --json miou.json";
    }

    @Override
    public String usage() {
        return "--gt-dir DIR --pred-dir DIR [--num-classes 21] [--json OUT.json] [--list SPLIT.txt]";
    }

    @Override
    public Options options() {
        Options o = new Options();
        o.addOption(Option.builder().longOpt("gt-dir").hasArg().argName("DIR")
                .desc("ground-truth label PNGs <id>.png (palette or grey, 255 = ignore)").build());
        o.addOption(Option.builder().longOpt("pred-dir").hasArg().argName("DIR")
                .desc("predicted label PNGs with the same names").build());
        o.addOption(Option.builder().longOpt("num-classes").hasArg().argName("N")
                .desc("classes including background (default 21)").build());
        o.addOption(Option.builder().longOpt("json").hasArg().argName("OUT.json")
                .desc(JsonFlag.help("mIoU, pixelAcc and the IoU list (null for absent classes)")).build());
        o.addOption(Option.builder().longOpt("list").hasArg().argName("SPLIT.txt")
                .desc("score only the ids in this list (one id per line, or DeepLab's IMAGE LABEL pairs; default:"
                        + " every .png in --gt-dir)").build());
        o.addOption(Option.builder().longOpt("class-names").hasArg().argName("FILE")
                .desc("one class name per line (default: the VOC names for 21 classes)").build());
        o.addOption(Option.builder().longOpt("threads").hasArg().argName("N")
                .desc("worker threads (default: all cores)").build());
        return o;
    }

    @Override
    public int run(CommandLine cl) throws Exception {
        PrintStream console = Flags.console(cl);
        if (!cl.hasOption("gt-dir") || !cl.hasOption("pred-dir")) {
            throw new InvalidInputException("--gt-dir and --pred-dir are required (run with --help for the flags)");
        }
        int numClasses = Flags.intFlag(cl, "num-classes", 21, 1);
        VocEvaluator.Builder b = VocEvaluator.builder().setGtDir(Path.of(cl.getOptionValue("gt-dir")))
                .setPredDir(Path.of(cl.getOptionValue("pred-dir"))).optNumClasses(numClasses)
                .optParallelism(Flags.intFlag(cl, "threads", 0, 0));
        if (cl.hasOption("list")) {
            b.optIds(readIds(Path.of(cl.getOptionValue("list"))));
        }
        List<String> names = classNames(cl, numClasses);
        long t0 = System.nanoTime();
        VocEvaluator evaluator = b.build();
        SegmentationMetrics m = evaluator.evaluate();
        console.printf(Locale.ROOT, "scored %d images in %.2f s%n", evaluator.ids().size(),
                (System.nanoTime() - t0) / 1e9);
        if (!JsonFlag.replacesText(cl)) {
            m.tableLines(names).forEach(System.out::println);
        }
        JsonFlag.write(cl, m.jsonText(names));
        return 0;
    }

    private static List<String> readIds(Path list) {
        if (!Files.isRegularFile(list)) {
            throw new InvalidInputException(list + ": --list file not found");
        }
        return VocList.read(list).stream().map(VocList.Entry::id).toList();
    }

    private static List<String> classNames(CommandLine cl, int numClasses) throws IOException {
        if (cl.hasOption("class-names")) {
            Path f = Path.of(cl.getOptionValue("class-names"));
            if (!Files.isRegularFile(f)) {
                throw new InvalidInputException(f + ": --class-names file not found");
            }
            return TextLines.read(f).stream().map(String::strip).filter(s -> !s.isEmpty()).toList();
        }
        return numClasses == VocPalette.VOC_CLASSES.size() ? VocPalette.VOC_CLASSES : List.of();
    }
}
