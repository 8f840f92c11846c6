package ai.wsbcn.cli.detection;

import ai.djl.ndarray.NDManager;
import ai.wsbcn.cli.Command;
import ai.wsbcn.detection.predict.DetectionPredictor;
import ai.wsbcn.util.InvalidInputException;

import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

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
    public String usage() {
        return "IMAGES... --checkpoint DIR [--out DIR] [--score 0.5]";
    }

    @Override
    public Options options() {
        Options o = new Options();
        o.addOption(Option.builder().longOpt("checkpoint").hasArg().argName("DIR")
                .desc("training output folder (model.json + checkpoint.bin)").build());
        o.addOption(Option.builder().longOpt("out").hasArg().argName("DIR").desc("output folder (default ./predictions)")
                .build());
        o.addOption(Option.builder().longOpt("score").hasArg().argName("S")
                .desc("minimum score drawn (default 0.5; the JSON has every detection)").build());
        return o;
    }

    @Override
    public int run(CommandLine cl) throws Exception {
        if (!cl.hasOption("checkpoint")) {
            throw new InvalidInputException("--checkpoint: required");
        }
        List<Path> images = new ArrayList<>();
        for (String a : cl.getArgList()) {
            images.add(Path.of(a));
        }
        if (images.isEmpty()) {
            throw new InvalidInputException("IMAGES: give at least one image file");
        }
        float score;
        try {
            score = Float.parseFloat(cl.getOptionValue("score", "0.5"));
        } catch (NumberFormatException e) {
            throw new InvalidInputException("--score: expected a number, got '" + cl.getOptionValue("score") + "'");
        }
        Path out = Path.of(cl.getOptionValue("out", "predictions"));
        try (NDManager m = DetectionFlags.manager(cl, false)) {
            DetectionPredictor p = DetectionPredictor.load(Path.of(cl.getOptionValue("checkpoint")), m);
            var dets = p.run(images, out, score);
            int n = dets.stream().mapToInt(d -> d.size()).sum();
            System.out.println(n + " detections in " + images.size() + " images; " + out.resolve("predictions.json")
                    + " and drawn PNGs in " + out);
        }
        return 0;
    }
}
