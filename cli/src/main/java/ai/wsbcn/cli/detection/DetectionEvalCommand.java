package ai.wsbcn.cli.detection;

import ai.djl.ndarray.NDManager;
import ai.wsbcn.cli.Command;
import ai.wsbcn.cli.Flags;
import ai.wsbcn.cli.JsonFlag;
import ai.wsbcn.detection.data.CocoSamples;
import ai.wsbcn.detection.eval.DetectionEvaluator;
import ai.wsbcn.detection.predict.DetectionPredictor;

import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;

/** {@code wsbcn detection eval}: COCO box (and mask) AP of a trained detector. */
public final class DetectionEvalCommand implements Command {

    @Override
    public String path() {
        return "detection eval";
    }

    @Override
    public String summary() {
        return "COCO bbox/segm AP of a trained detector (results JSON written)";
    }

    @Override
    public String example() {
        return "wsbcn detection eval --checkpoint runs/mrcnn-gnws --data COCO_ROOT/val2017 --ann"
                + " COCO_ROOT/annotations/instances_val2017.json --json ap.json";
    }

    /** {@code --out} is a folder in every other command: the file of detections is {@code --results}. */
    @Override
    public Map<String, String> oldSpellings() {
        return Map.of("out", "results");
    }

    @Override
    public String usage() {
        return "--checkpoint DIR --data IMAGES --ann INSTANCES.json [--results RESULTS.json] [--json OUT.json] [--limit N]";
    }

    @Override
    public Options options() {
        Options o = new Options();
        o.addOption(Option.builder().longOpt("checkpoint").hasArg().argName("DIR")
                .desc("training output folder (model.json + checkpoint.bin)").build());
        o.addOption(Option.builder().longOpt("data").hasArg().argName("DIR").desc("image folder").build());
        o.addOption(Option.builder().longOpt("ann").hasArg().argName("FILE").desc("COCO instances JSON").build());
        o.addOption(Option.builder().longOpt("results").hasArg().argName("FILE")
                .desc("the detections as a COCO results JSON (default CHECKPOINT/eval_results.json)").build());
        o.addOption(Option.builder().longOpt("json").hasArg().argName("OUT.json")
                .desc(JsonFlag.help("images, detections, and bbox and segm as 'eval coco --json' writes them"))
                .build());
        o.addOption(Option.builder().longOpt("limit").hasArg().argName("N").desc("first N images only").build());
        return o;
    }

    @Override
    public int run(CommandLine cl) throws Exception {
        PrintStream console = Flags.console(cl);
        Path dir = Path.of(Flags.required(cl, "checkpoint"));
        Flags.required(cl, "data");
        Flags.required(cl, "ann");
        int limit = Flags.intFlag(cl, "limit", 0, 1);
        try (NDManager m = DetectionFlags.manager(cl, false)) {
            DetectionPredictor p = DetectionPredictor.load(dir, m);
            CocoSamples data = CocoSamples.open(Path.of(cl.getOptionValue("data")), Path.of(cl.getOptionValue("ann")),
                    p.model().config().masks(), false);
            DetectionEvaluator.checkBeforeRun(p.categories(), data, p.model().config().masks(), limit);
            Path out = Path.of(cl.getOptionValue("results", dir.resolve("eval_results.json").toString()));
            DetectionEvaluator.Result r = DetectionEvaluator.run(p.model(), m, data, p.categories(), limit, out,
                    console);
            if (!JsonFlag.replacesText(cl)) {
                DetectionEvaluator.print(r, System.out);
                System.out.println("results: " + out);
            }
            JsonFlag.write(cl, r.jsonText());
        }
        return 0;
    }
}
