package ai.wsbcn.video.demo;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.wsbcn.video.data.SomethingSomething;
import ai.wsbcn.video.data.VideoClipDataset;
import ai.wsbcn.video.data.VideoList;
import ai.wsbcn.video.data.synthetic.SyntheticMotion;
import ai.wsbcn.video.eval.TopKAccuracy;
import ai.wsbcn.video.model.TsmModelSpec;
import ai.wsbcn.video.train.TrainResult;
import ai.wsbcn.video.train.VideoTrainer;
import ai.wsbcn.video.transforms.ClipTransform;
import ai.wsbcn.video.transforms.MultiScaleCrop;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The motion-direction demo: writes a {@link SyntheticMotion} set in Something-Something layout, trains the same
 * small ResNet twice on it, with the temporal shift (TSM) and without (TSN: frame-wise features averaged over time),
 * and evaluates both on the validation clips. Without the shift the network can tell which axis something moves
 * along, but not which way, so TSN stalls near 4/7 while TSM separates all seven classes.
 */
public final class MotionDemo {

    /** The demo's knobs; {@link #defaults()} is what {@code wsbcn demo video} runs. */
    public record Settings(String backbone, String norm, int frameWidth, int frameHeight, int framesPerVideo,
            int trainVideos, int valVideos, int crop, int scale, int segments, int clipsPerBatch, int epochs, float lr,
            long seed) {

        public static Settings defaults() {
            return new Settings("resnet8w16", "bn", 64, 48, 12, 840, 210, 32, 36, 8, 8, 8, 0.05f, 1);
        }
    }

    /** Both runs' results. */
    public record Result(TopKAccuracy tsm, TopKAccuracy tsn, TrainResult tsmRun, TrainResult tsnRun) {}

    private MotionDemo() {}

    /** Runs the demo in {@code workDir} (data in {@code workDir/data}, models in {@code workDir/tsm|tsn}). */
    public static Result run(Settings s, Path workDir, PrintStream out) throws IOException {
        Path data = workDir.resolve("data");
        long t0 = System.nanoTime();
        if (!Files.exists(data.resolve(SomethingSomething.Split.VALIDATION.fileName()))) {
            SyntheticMotion.builder().optFrameSize(s.frameWidth(), s.frameHeight()).optFrames(s.framesPerVideo())
                    .optVideos(s.trainVideos(), s.valVideos()).optSeed(s.seed()).build().write(data);
        }
        VideoList train = SomethingSomething.read(data, SomethingSomething.Split.TRAIN);
        VideoList val = SomethingSomething.read(data, SomethingSomething.Split.VALIDATION);
        out.printf(Locale.ROOT, "synthetic motion clips: %d train, %d validation, %d classes, %dx%d, %d frames (%.1f s)%n",
                train.size(), val.size(), train.classes().size(), s.frameWidth(), s.frameHeight(), s.framesPerVideo(),
                (System.nanoTime() - t0) / 1e9);
        TrainResult[] runs = new TrainResult[2];
        TopKAccuracy[] acc = new TopKAccuracy[2];
        for (int k = 0; k < 2; k++) {
            boolean shift = k == 0;
            String name = shift ? "TSM" : "TSN";
            TsmModelSpec spec = new TsmModelSpec(s.backbone(), s.norm(), s.segments(), 8, shift, 1, 0.5f, s.crop(),
                    s.scale(), train.classes());
            VideoClipDataset trainSet = VideoClipDataset.builder().setList(train).optSegments(s.segments())
                    .optTraining(true).optTransform(new MultiScaleCrop(s.crop())).optSeed(s.seed()).build();
            VideoClipDataset valSet = VideoClipDataset.builder().setList(val).optSegments(s.segments())
                    .optTraining(false).optTransform(ClipTransform.test(s.scale(), s.crop())).build();
            out.printf(Locale.ROOT, "%n== %s: %s, norm %s, %d segments, %dx%d crops, %d epochs ==%n", name,
                    s.backbone(), s.norm(), s.segments(), s.crop(), s.crop(), s.epochs());
            VideoTrainer trainer = VideoTrainer.builder().setSpec(spec).setTrainSet(trainSet).optValSet(valSet)
                    .optOutDir(workDir.resolve(name.toLowerCase(Locale.ROOT))).optEpochs(s.epochs())
                    .optClipsPerBatch(s.clipsPerBatch()).optLr(s.lr())
                    .optLrSteps(Math.max(1, s.epochs() * 2 / 3)).optEvalEvery(0).optSeed(s.seed())
                    .optConsole(out).build();
            try (NDManager m = Engine.getInstance().newBaseManager()) {
                runs[k] = trainer.train(m);
                acc[k] = runs[k].evaluation();
            }
            out.printf(Locale.ROOT, "%s: %.1f s, validation top-1 %.1f%%%n", name, runs[k].seconds(),
                    100 * acc[k].top1());
        }
        out.printf(Locale.ROOT, "%nvalidation top-1: TSM %.1f%%  TSN %.1f%%  (chance %.1f%%)%n", 100 * acc[0].top1(),
                100 * acc[1].top1(), 100.0 / train.classes().size());
        out.println("TSM per class:");
        acc[0].lines(true).stream().skip(1).forEach(out::println);
        out.println("TSN per class:");
        acc[1].lines(true).stream().skip(1).forEach(out::println);
        return new Result(acc[0], acc[1], runs[0], runs[1]);
    }
}
