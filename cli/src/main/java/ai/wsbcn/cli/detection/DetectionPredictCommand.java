package ai.wsbcn.cli.detection;

import ai.djl.ndarray.NDManager;
import ai.wsbcn.cli.Command;
import ai.wsbcn.cli.Flags;
import ai.wsbcn.detection.coco.json.CocoDataset;
import ai.wsbcn.detection.predict.DetectionPredictor;
import ai.wsbcn.detection.predict.PredictInputs;
import ai.wsbcn.util.InvalidInputException;

import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;

/** {@code wsbcn detection predict IMAGES...}: COCO results JSON plus drawn PNGs. */
public final class DetectionPredictCommand implements Command {

    @Override
    public String path() {
        return "detection predict";
    }

    @Override
    public String summary() {
        return "detect objects in images: predictions.json + PNGs with boxes, labels, scores and masks";
    }

    @Override
    public String example() {
        return "wsbcn detection predict photo1.jpg photos/ --checkpoint runs/mrcnn-gnws --out preds";
    }

    @Override
    public String usage() {
        return "IMAGES_OR_FOLDERS... --checkpoint DIR [--out DIR] [--score 0.5] [--ann INSTANCES.json]";
    }

    @Override
    public Options options() {
        Options o = new Options();
        o.addOption(Option.builder().longOpt("checkpoint").hasArg().argName("DIR")
                .desc("training output folder (model.json + checkpoint.bin)").build());
        o.addOption(Option.builder().longOpt("out").hasArg().argName("DIR").desc("output folder (default ./predictions)")
                .build());
        o.addOption(Option.builder().longOpt("ann").hasArg().argName("INSTANCES.json")
                .desc("COCO instances JSON whose image ids predictions.json uses (each image found by its"
                        + " file_name), so that eval coco can evaluate it; default: ids 1..N in input order").build());
        o.addOption(Option.builder().longOpt("score").hasArg().argName("S")
                .desc("minimum score drawn (default 0.5; the JSON has every detection)").build());
        return o;
    }

    @Override
    public int run(CommandLine cl) throws Exception {
        Path checkpoint = Path.of(Flags.required(cl, "checkpoint"));
        DetectionPredictor.checkFolder(checkpoint);
        List<Path> given = new ArrayList<>();
        for (String a : cl.getArgList()) {
            given.add(Path.of(a));
        }
        if (given.isEmpty()) {
            throw new InvalidInputException("IMAGES: give at least one image file or folder");
        }
        List<Path> images = PredictInputs.expand(given);
        CocoDataset gt = cl.hasOption("ann") ? CocoDataset.read(Path.of(cl.getOptionValue("ann"))) : null;
        long[] ids = gt == null ? LongStream.rangeClosed(1, images.size()).toArray()
                : PredictInputs.imageIds(images, gt);
        float score;
        try {
            score = Float.parseFloat(cl.getOptionValue("score", "0.5"));
        } catch (NumberFormatException e) {
            throw new InvalidInputException("--score: expected a number, got '" + cl.getOptionValue("score") + "'");
        }
        Path out = Path.of(cl.getOptionValue("out", "predictions"));
        PredictInputs.overlayFiles(images, out); // an overlay that would overwrite an input stops before the model loads
        try (NDManager m = DetectionFlags.manager(cl, false)) {
            DetectionPredictor p = DetectionPredictor.load(checkpoint, m);
            var dets = p.run(images, ids, gt, out, score);
            int n = dets.stream().mapToInt(d -> d.size()).sum();
            System.out.println(n + " detections in " + images.size() + " images; " + out.resolve("predictions.json")
                    + " and drawn PNGs in " + out);
        }
        return 0;
    }
}
