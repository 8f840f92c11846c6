package ai.wsbcn.cli.bench;

import ai.wsbcn.cli.Flags;
import ai.wsbcn.cli.Command;
import ai.wsbcn.detection.coco.eval.CocoEvalBenchmark;
import ai.wsbcn.detection.coco.eval.IouType;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;

import java.nio.file.Path;

/** {@code wsbcn bench coco-eval}: evaluator speed on a synthetic COCO val2017-sized problem. */
public final class BenchCocoEvalCommand implements Command {

    @Override
    public String path() {
        return "bench coco-eval";
    }

    @Override
    public String summary() {
        return "time the COCO evaluator on a synthetic val2017-sized problem";
    }

    @Override
    public String example() {
        return "wsbcn bench coco-eval --images 500 --iou-type segm";
    }

    @Override
    public String usage() {
        return "[--images 5000] [--iou-type bbox|segm] [--repeat 3] [--threads N] [--seed S] [--write DIR]";
    }

    @Override
    public Options options() {
        Options o = new Options();
        o.addOption(Option.builder().longOpt("images").hasArg().argName("N")
                .desc("images in the problem (default 5000, ~7.3 objects and 100 detections each)").build());
        o.addOption(Option.builder().longOpt("iou-type").hasArg().argName("bbox|segm")
                .desc("compare boxes or masks (default bbox)").build());
        o.addOption(Option.builder().longOpt("repeat").hasArg().argName("N").desc("runs (default 3)").build());
        o.addOption(Option.builder().longOpt("threads").hasArg().argName("N")
                .desc("worker threads (default: all cores)").build());
        o.addOption(Option.builder().longOpt("seed").hasArg().argName("S").desc("problem seed (default 0)").build());
        o.addOption(Option.builder().longOpt("write").hasArg().argName("DIR")
                .desc("write DIR/instances.json and DIR/results.json (for bench/pycocotools_coco_eval.py)").build());
        return o;
    }

    @Override
    public int run(CommandLine cl) throws Exception {
        CocoEvalBenchmark bench = new CocoEvalBenchmark(
                Flags.intFlag(cl, "images", 5000, 1),
                IouType.parse(cl.getOptionValue("iou-type", "bbox")),
                Flags.intFlag(cl, "repeat", 3, 1),
                Flags.intFlag(cl, "threads", 0, 0),
                Flags.intFlag(cl, "seed", 0, Integer.MIN_VALUE),
                cl.hasOption("write") ? Path.of(cl.getOptionValue("write")) : null);
        bench.run(System.out);
        return 0;
    }
}
