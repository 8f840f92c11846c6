package ai.wsbcn.cli.segmentation;

import ai.wsbcn.cli.Flags;
import ai.wsbcn.cli.JsonFlag;
import ai.djl.ndarray.NDManager;
import ai.wsbcn.cli.Command;
import ai.wsbcn.segmentation.data.VocDataset;
import ai.wsbcn.segmentation.eval.ModelEvaluator;
import ai.wsbcn.segmentation.eval.SegmentationMetrics;
import ai.wsbcn.segmentation.predict.Segmenter;
import ai.wsbcn.segmentation.predict.TrainedModel;
import ai.wsbcn.segmentation.transforms.ImageNormalizer;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;

import java.io.PrintStream;
import java.nio.file.Path;

/** {@code wsbcn segmentation eval}: mIoU of a trained checkpoint on a VOC split (whole images, single scale). */
public final class SegmentationEvalCommand implements Command {

    @Override
    public String path() {
        return "segmentation eval";
    }

    @Override
    public String summary() {
        return "mIoU of a trained DeepLabV3 checkpoint on a VOC split (whole images, no flip, one scale)";
    }

    @Override
    public String example() {
        return "wsbcn segmentation eval --data VOC2012 --split val --checkpoint runs/bcn_ws --json val.json";
    }

    @Override
    public String usage() {
        return "--data VOC_ROOT --checkpoint DIR|FILE [--split val] [--pred-dir DIR] [--json OUT.json]";
    }

    @Override
    public Options options() {
        Options o = new Options();
        o.addOption(Option.builder().longOpt("data").hasArg().argName("VOC_ROOT").desc("VOC2012 folder").build());
        o.addOption(Option.builder().longOpt("split").hasArg().argName("NAME").desc("list stem (default val)").build());
        o.addOption(Option.builder().longOpt("label-dir").hasArg().argName("DIR")
                .desc("label folder under the root (default SegmentationClass)").build());
        o.addOption(Option.builder().longOpt("checkpoint").hasArg().argName("DIR|FILE")
                .desc("training output folder or its checkpoint.bin").build());
        o.addOption(Option.builder().longOpt("pred-dir").hasArg().argName("DIR")
                .desc("also write predictions as palette PNGs <id>.png").build());
        o.addOption(Option.builder().longOpt("json").hasArg().argName("OUT.json")
                .desc(JsonFlag.help("mIoU, pixelAcc and the IoU list, as 'eval voc --json'")).build());
        return o;
    }

    @Override
    public int run(CommandLine cl) throws Exception {
        PrintStream console = Flags.console(cl);
        VocDataset.Builder db = VocDataset.builder().setRoot(Path.of(Flags.required(cl, "data")))
                .setSplit(cl.getOptionValue("split", "val"));
        if (cl.hasOption("label-dir")) {
            db.optLabelDir(cl.getOptionValue("label-dir"));
        }
        VocDataset val = db.build();
        try (NDManager manager = NDManager.newBaseManager()) {
            TrainedModel tm = TrainedModel.load(Path.of(Flags.required(cl, "checkpoint")), manager);
            console.println(tm.spec() + ", step " + tm.step() + ", " + val.size() + " images");
            SegmentationMetrics m = ModelEvaluator.evaluate(new Segmenter(tm.model(), manager,
                    ImageNormalizer.IMAGENET), val.samples(), tm.spec().numClasses(),
                    cl.hasOption("pred-dir") ? Path.of(cl.getOptionValue("pred-dir")) : null, console);
            if (!JsonFlag.replacesText(cl)) {
                m.tableLines(tm.spec().classNames()).forEach(System.out::println);
            }
            JsonFlag.write(cl, m.jsonText(tm.spec().classNames()));
        }
        return 0;
    }
}
