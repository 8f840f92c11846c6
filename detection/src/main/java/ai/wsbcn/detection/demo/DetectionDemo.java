package ai.wsbcn.detection.demo;

import ai.djl.ndarray.NDManager;
import ai.wsbcn.detection.data.CocoSamples;
import ai.wsbcn.detection.data.synthetic.SyntheticShapes;
import ai.wsbcn.detection.eval.DetectionEvaluator;
import ai.wsbcn.detection.model.ImageDetections;
import ai.wsbcn.detection.predict.DetectionOverlay;
import ai.wsbcn.detection.train.DetectionTrainConfig;
import ai.wsbcn.detection.train.DetectionTrainer;
import ai.wsbcn.detection.transforms.DetectionSample;
import ai.wsbcn.pretrained.data.ImageFiles;
import ai.wsbcn.util.AtomicFiles;

import com.google.gson.GsonBuilder;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The detection demo: a synthetic COCO-format shapes data set (train/val, exact masks), a small Mask R-CNN
 * (ResNet-18 at reduced width + FPN) trained from scratch at 1 image per batch with GN+WS, box and mask AP on val,
 * predictions drawn on val images, the loss curve and a report ({@code report.md}, {@code report.json}).
 */
public final class DetectionDemo {

    /** Demo knobs; {@link #defaults()} is what {@code wsbcn demo detection} runs. */
    public record Options(Path out, String norm, int imageSize, int trainImages, int valImages, int iters,
            float lr, int width, int fpnChannels, long seed, int drawImages) {

        public static Options defaults(Path out) {
            return new Options(out, "gn+ws", 128, 300, 50, 3600, 0.02f, 16, 64, 0, 8);
        }
    }

    public record Outcome(DetectionEvaluator.Result eval, double trainSeconds, double totalSeconds, Path out) {}

    private DetectionDemo() {}

    public static DetectionTrainConfig config(Options o) {
        DetectionTrainConfig c = DetectionTrainConfig.defaults();
        String s = "demo";
        c.set("out", o.out().resolve("train").toString(), s).set("backbone", "resnet18", s).set("norm", o.norm(), s)
                .set("width", Integer.toString(o.width()), s).set("stem", Integer.toString(o.width()), s)
                .set("fpn-channels", Integer.toString(o.fpnChannels()), s)
                .set("head-channels", Integer.toString(o.fpnChannels()), s)
                .set("representation-size", "256", s)
                .set("min-size", Integer.toString(o.imageSize()), s).set("max-size", Integer.toString(o.imageSize()), s)
                .set("anchor-sizes", "16,32,64,128,256", s)
                .set("iters", Integer.toString(o.iters()), s).set("lr", Float.toString(o.lr()), s)
                .set("rpn-batch", "128", s).set("roi-batch", "128", s)
                .set("rpn-post-nms-train", "300", s).set("rpn-post-nms-test", "100", s)
                .set("checkpoint-every", "500", s).set("log-every", "25", s)
                .set("seed", Long.toString(o.seed()), s);
        return c;
    }

    public static Outcome run(Options o, NDManager manager, PrintStream out) throws IOException {
        long t0 = System.nanoTime();
        Files.createDirectories(o.out());
        out.printf("detection demo: synthetic shapes %dx%d, %d train / %d val images -> %s%n", o.imageSize(),
                o.imageSize(), o.trainImages(), o.valImages(), o.out().resolve("data"));
        SyntheticShapes.Layout layout = SyntheticShapes.builder().optImageSize(o.imageSize(), o.imageSize())
                .optImagesPerSplit(o.trainImages(), o.valImages()).optSeed(o.seed()).build()
                .write(o.out().resolve("data"));
        CocoSamples train = CocoSamples.open(layout.imageDir(SyntheticShapes.Split.TRAIN),
                layout.annotations(SyntheticShapes.Split.TRAIN), true, true);
        CocoSamples val = CocoSamples.open(layout.imageDir(SyntheticShapes.Split.VAL),
                layout.annotations(SyntheticShapes.Split.VAL), true, false);
        DetectionTrainConfig cfg = config(o);
        out.printf("training Mask R-CNN (ResNet-18 width %d, FPN %d, %s, 1 image per batch) for %d iterations"
                + " on %s%n", o.width(), o.fpnChannels(), o.norm(), o.iters(), manager.getEngine().getEngineName());
        DetectionTrainer trainer = new DetectionTrainer(cfg, train, null, manager, out);
        long tTrain = System.nanoTime();
        trainer.train(0);
        double trainSeconds = (System.nanoTime() - tTrain) / 1e9;
        out.println("evaluating on the val split");
        List<ImageDetections> dets = DetectionEvaluator.detectAll(trainer.model(), manager, val, 0, null);
        DetectionEvaluator.Result r = DetectionEvaluator.evaluate(dets, val.coco().dataset(), val.categories(), true,
                o.out().resolve("val_results.json"));
        DetectionEvaluator.print(r, out);
        Path pred = o.out().resolve("predictions");
        Files.createDirectories(pred);
        for (int i = 0; i < Math.min(o.drawImages(), dets.size()); i++) {
            DetectionSample s = val.get(i);
            byte[] bgr = DetectionOverlay.draw(s.rgb(), s.width(), s.height(), dets.get(i),
                    label -> val.categories().name(label), 0.5f, 0.45f);
            ImageFiles.writeBgr(pred.resolve(String.format("val_%03d.png", i)), bgr, s.width(), s.height());
        }
        double total = (System.nanoTime() - t0) / 1e9;
        Map<String, Object> rep = new LinkedHashMap<>();
        rep.put("engine", manager.getEngine().getEngineName());
        rep.put("norm", o.norm());
        rep.put("image_size", o.imageSize());
        rep.put("train_images", o.trainImages());
        rep.put("val_images", o.valImages());
        rep.put("iterations", o.iters());
        rep.put("train_seconds", trainSeconds);
        rep.put("total_seconds", total);
        rep.put("box_ap", r.boxAp());
        rep.put("box_ap50", r.boxAp50());
        rep.put("box_ap75", r.bbox().stat("AP75"));
        rep.put("mask_ap", r.maskAp());
        rep.put("mask_ap50", r.segm().stat("AP50"));
        AtomicFiles.writeString(o.out().resolve("report.json"),
                new GsonBuilder().setPrettyPrinting().create().toJson(rep) + "\n");
        String md = "# Detection demo\n\n"
                + String.format("Mask R-CNN, ResNet-18 (width %d) + FPN (%d ch), %s, 1 image per batch, %d iterations "
                        + "from scratch on %d synthetic %dx%d images (%s engine).%n%n", o.width(), o.fpnChannels(),
                        o.norm(), o.iters(), o.trainImages(), o.imageSize(), o.imageSize(),
                        manager.getEngine().getEngineName())
                + "| metric | value |\n|---|---|\n"
                + String.format("| box AP | %.3f |%n| box AP50 | %.3f |%n| box AP75 | %.3f |%n| mask AP | %.3f |%n"
                        + "| mask AP50 | %.3f |%n| training time | %.0f s |%n| total time | %.0f s |%n", r.boxAp(),
                        r.boxAp50(), r.bbox().stat("AP75"), r.maskAp(), r.segm().stat("AP50"), trainSeconds, total)
                + "\nFiles: `train/` (checkpoint.bin, config.json, train_log.csv, loss_curve.png), `val_results.json`,"
                + " `predictions/*.png`.\n";
        AtomicFiles.writeString(o.out().resolve("report.md"), md);
        out.printf("box AP %.3f  AP50 %.3f  mask AP %.3f  (%.0f s)%n", r.boxAp(), r.boxAp50(), r.maskAp(), total);
        out.println("outputs: " + o.out().toAbsolutePath());
        out.println("  report:      " + o.out().resolve("report.md"));
        out.println("  loss curve:  " + o.out().resolve("train/loss_curve.png"));
        out.println("  predictions: " + pred);
        return new Outcome(r, trainSeconds, total, o.out());
    }
}
