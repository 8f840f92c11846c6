package ai.wsbcn.cli.segmentation;

import ai.wsbcn.cli.Flags;
import ai.djl.ndarray.NDManager;
import ai.wsbcn.cli.Command;
import ai.wsbcn.pretrained.data.ImageFiles;
import ai.wsbcn.segmentation.data.LabelMap;
import ai.wsbcn.segmentation.data.LabelPng;
import ai.wsbcn.pretrained.data.RgbImage;
import ai.wsbcn.segmentation.predict.Overlay;
import ai.wsbcn.segmentation.predict.Segmenter;
import ai.wsbcn.segmentation.predict.TrainedModel;
import ai.wsbcn.segmentation.transforms.ImageNormalizer;
import ai.wsbcn.util.InvalidInputException;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** {@code wsbcn segmentation predict}: palette-PNG label maps and colour overlays for images. */
public final class SegmentationPredictCommand implements Command {

    @Override
    public String path() {
        return "segmentation predict";
    }

    @Override
    public String summary() {
        return "segment images with a trained checkpoint: palette PNGs and colour overlays";
    }

    @Override
    public String example() {
        return "wsbcn segmentation predict --checkpoint runs/bcn_ws --out out/ photo1.jpg photo2.jpg";
    }

    @Override
    public String usage() {
        return "--checkpoint DIR|FILE --out DIR IMAGE...";
    }

    @Override
    public Options options() {
        Options o = new Options();
        o.addOption(Option.builder().longOpt("checkpoint").hasArg().argName("DIR|FILE")
                .desc("training output folder or its checkpoint.bin").build());
        o.addOption(Option.builder().longOpt("out").hasArg().argName("DIR")
                .desc("writes <name>.png (class indices, VOC palette) and <name>_overlay.jpg").build());
        return o;
    }

    @Override
    public int run(CommandLine cl) throws Exception {
        if (cl.getArgList().isEmpty()) {
            throw new InvalidInputException("no images given (usage: " + usage() + ")");
        }
        Path out = Path.of(Flags.required(cl, "out"));
        List<PredictionFiles> plan = PredictionFiles.plan(cl.getArgList().stream().map(Path::of).toList(), out);
        Files.createDirectories(out);
        try (NDManager manager = NDManager.newBaseManager()) {
            TrainedModel tm = TrainedModel.load(Path.of(Flags.required(cl, "checkpoint")), manager);
            Segmenter seg = new Segmenter(tm.model(), manager, ImageNormalizer.IMAGENET);
            for (PredictionFiles p : plan) {
                RgbImage img = ImageFiles.readRgb(p.image());
                LabelMap labels = seg.segment(img);
                LabelPng.write(p.labels(), labels);
                ImageFiles.writeRgb(p.overlay(), Overlay.blend(img, labels, 0.55f));
                System.out.println(p.image() + " -> " + p.labels() + ", " + p.overlay());
            }
        }
        return 0;
    }
}
