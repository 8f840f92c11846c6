package ai.wsbcn.cli.eval;

import ai.wsbcn.cli.Flags;
import ai.wsbcn.cli.JsonFlag;
import ai.wsbcn.cli.Command;
import ai.wsbcn.detection.coco.eval.CocoEvalResult;
import ai.wsbcn.detection.coco.eval.CocoEvaluator;
import ai.wsbcn.detection.coco.eval.IouType;
import ai.wsbcn.detection.coco.eval.NumpyCompat;
import ai.wsbcn.detection.coco.json.CocoDataset;
import ai.wsbcn.detection.coco.json.CocoResults;
import ai.wsbcn.util.InvalidInputException;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Locale;

/** {@code wsbcn eval coco}: COCO AP of a results file, the same numbers as pycocotools' COCOeval. */
public final class EvalCocoCommand implements Command {

    @Override
    public String path() {
        return "eval coco";
    }

    @Override
    public String summary() {
        return "COCO box/mask AP of a results file (pycocotools-exact, parallel)";
    }

    @Override
    public String example() {
        return "wsbcn eval coco --gt instances_val2017.json --dt results.json --iou-type segm --json ap.json";
    }

    @Override
    public String usage() {
        return "--gt GT.json --dt DT.json [--iou-type bbox|segm] [--json OUT.json] [--per-category]";
    }

    @Override
    public Options options() {
        Options o = new Options();
        o.addOption(Option.builder().longOpt("gt").hasArg().argName("GT.json")
                .desc("ground truth: a COCO instances file").build());
        o.addOption(Option.builder().longOpt("dt").hasArg().argName("DT.json")
                .desc("detections: a COCO results file").build());
        o.addOption(Option.builder().longOpt("iou-type").hasArg().argName("bbox|segm")
                .desc("compare boxes or masks (default bbox)").build());
        o.addOption(Option.builder().longOpt("json").hasArg().argName("OUT.json")
                .desc(JsonFlag.help("the 12 numbers (and the per-category table)")).build());
        o.addOption(Option.builder().longOpt("per-category").desc("print (and write) AP per category").build());
        o.addOption(Option.builder().longOpt("threads").hasArg().argName("N")
                .desc("worker threads (default: all cores)").build());
        o.addOption(Option.builder().longOpt("numpy").hasArg().argName("VERSION")
                .desc("match pycocotools running on this numpy bit for bit (default 2.3+; numpy <= 2.2 sums means"
                        + " in 8192-element blocks, which can move the last bit of a stat)").build());
        return o;
    }

    @Override
    public int run(CommandLine cl) throws Exception {
        PrintStream console = Flags.console(cl);
        if (!cl.hasOption("gt") || !cl.hasOption("dt")) {
            throw new InvalidInputException("--gt and --dt are required (run with --help for the flags)");
        }
        IouType iouType = IouType.parse(cl.getOptionValue("iou-type", "bbox"));
        int threads = Flags.intFlag(cl, "threads", 0, 0);
        NumpyCompat.Summation summation;
        try {
            summation = NumpyCompat.Summation.ofNumpyVersion(cl.getOptionValue("numpy", "2.3"));
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException("--numpy: " + e.getMessage(), e);
        }
        long t0 = System.nanoTime();
        CocoDataset gt = CocoDataset.read(Path.of(cl.getOptionValue("gt")));
        CocoResults dt = CocoResults.read(Path.of(cl.getOptionValue("dt")), gt);
        console.printf(Locale.ROOT, "loaded %d images, %d annotations, %d categories and %d detections in %.2f s"
                + " (%d warnings)%n", gt.images().size(), gt.annotations().size(), gt.categories().size(),
                dt.detections().size(), (System.nanoTime() - t0) / 1e9, gt.warnings().size() + dt.warnings().size());
        CocoEvaluator evaluator = CocoEvaluator.builder().setGroundTruth(gt).setResults(dt).setIouType(iouType)
                .optParallelism(threads).optNumpySummation(summation).build();
        long t1 = System.nanoTime();
        CocoEvaluator.ImageEvaluations e = evaluator.evaluate();
        long t2 = System.nanoTime();
        CocoEvalResult result = evaluator.accumulate(e);
        long t3 = System.nanoTime();
        console.printf(Locale.ROOT, "evaluated *%s*: evaluate %.2f s, accumulate %.2f s%n", iouType.cocoName(),
                (t2 - t1) / 1e9, (t3 - t2) / 1e9);
        boolean perCategory = cl.hasOption("per-category");
        if (!JsonFlag.replacesText(cl)) {
            result.summaryLines().forEach(System.out::println);
            if (perCategory) {
                System.out.println();
                result.perCategoryLines().forEach(System.out::println);
            }
        }
        JsonFlag.write(cl, result.jsonText(perCategory));
        return 0;
    }
}
