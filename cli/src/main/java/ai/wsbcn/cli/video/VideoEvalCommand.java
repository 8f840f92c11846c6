package ai.wsbcn.cli.video;

import ai.wsbcn.cli.Flags;
import ai.wsbcn.cli.JsonFlag;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.wsbcn.cli.Command;
import ai.wsbcn.report.ProgressBar;
import ai.wsbcn.video.data.VideoClipDataset;
import ai.wsbcn.video.data.VideoList;
import ai.wsbcn.video.eval.TopKAccuracy;
import ai.wsbcn.video.eval.VideoEvaluator;
import ai.wsbcn.video.model.TsmModelSpec;
import ai.wsbcn.video.model.TsmNetwork;
import ai.wsbcn.video.transforms.ClipTransform;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/** {@code wsbcn video eval}: top-1/top-5 (and per-class) accuracy of a trained TSM/TSN model. */
public final class VideoEvalCommand implements Command {

    @Override
    public String path() {
        return "video eval";
    }

    @Override
    public String summary() {
        return "top-1/top-5 accuracy of a trained TSM model on Something-Something (JSON output)";
    }

    @Override
    public String example() {
        return "wsbcn video eval --checkpoint runs/tsm-gnws --data SS_ROOT --per-class --json top.json";
    }

    @Override
    public Map<String, String> oldSpellings() {
        return Map.of("model", "checkpoint");
    }

    @Override
    public String usage() {
        return "--checkpoint DIR (--data SS_ROOT [--split validation] | --list LIST) [--per-class] [--json OUT.json]";
    }

    @Override
    public Options options() {
        Options o = new Options();
        o.addOption(Option.builder().longOpt("checkpoint").hasArg().argName("DIR")
                .desc("training output folder: the one 'wsbcn video train' wrote (model.json + model.params)").build());
        VideoData.addOptions(o);
        o.addOption(Option.builder().longOpt("split").hasArg().argName("train|validation")
                .desc("split of --data to evaluate (default validation)").build());
        o.addOption(Option.builder().longOpt("list").hasArg().argName("LIST")
                .desc("evaluate a list file ('path num_frames label' lines) instead of --data").build());
        o.addOption(Option.builder().longOpt("batch").hasArg().argName("N").desc("clips per forward (default 2)")
                .build());
        o.addOption(Option.builder().longOpt("per-class").desc("print (and write) accuracy per class").build());
        o.addOption(Option.builder().longOpt("json").hasArg().argName("OUT.json")
                .desc(JsonFlag.help("clips, top1, top5, mean_class_accuracy (and per_class)")).build());
        return o;
    }

    @Override
    public int run(CommandLine cl) throws Exception {
        PrintStream console = Flags.console(cl);
        Path dir = Path.of(Flags.required(cl, "checkpoint"));
        TsmModelSpec spec = TsmModelSpec.read(dir);
        VideoList list = VideoData.read(cl, cl.getOptionValue("split", "validation"), "list", spec.classes());
        VideoData.report(list, "evaluating", console);
        if (!list.classes().equals(spec.classes())) {
            throw new ai.wsbcn.util.InvalidInputException("the data's " + list.classes().size()
                    + " classes differ from the model's " + spec.classes().size() + " (" + dir.resolve(TsmModelSpec.JSON)
                    + ")");
        }
        VideoClipDataset data = VideoClipDataset.builder().setList(list).optSegments(spec.segments())
                .optTraining(false).optTransform(ClipTransform.test(spec.scaleSize(), spec.cropSize())).build();
        int batch = Flags.intFlag(cl, "batch", 2, 1);
        boolean perClass = cl.hasOption("per-class");
        long t0 = System.nanoTime();
        TopKAccuracy acc;
        try (NDManager m = Engine.getInstance().newBaseManager()) {
            TsmNetwork net = TsmModelSpec.load(dir, m);
            // one line per 5 % when the output is not a terminal (a log file), as every other progress report
            ProgressBar bar = new ProgressBar("eval", list.size(), console, System.console() != null,
                    Math.max(1, list.size() / 20));
            acc = VideoEvaluator.evaluate(net, m, data, batch, bar::update);
            bar.finish();
        }
        console.printf(Locale.ROOT, "evaluated %d clips in %.1f s%n", acc.clips(), (System.nanoTime() - t0) / 1e9);
        if (!JsonFlag.replacesText(cl)) {
            acc.lines(perClass).forEach(System.out::println);
        }
        JsonFlag.write(cl, acc.toJson(perClass));
        return 0;
    }
}
