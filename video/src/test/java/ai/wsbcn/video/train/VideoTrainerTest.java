package ai.wsbcn.video.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import ai.wsbcn.video.data.SomethingSomething;
import ai.wsbcn.video.data.VideoClipDataset;
import ai.wsbcn.video.data.VideoList;
import ai.wsbcn.video.data.synthetic.SyntheticMotion;
import ai.wsbcn.video.model.TsmModelSpec;
import ai.wsbcn.video.model.TsmNetwork;
import ai.wsbcn.video.transforms.ClipTransform;
import ai.wsbcn.video.transforms.MultiScaleCrop;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A few training steps on synthetic clips: the loss falls, and a resumed run continues exactly. */
class VideoTrainerTest {

    @TempDir
    static Path data;

    private static VideoList train;

    @BeforeAll
    static void makeData() throws IOException {
        SyntheticMotion.builder().optFrameSize(24, 20).optFrames(8).optVideos(8, 0).optSeed(5).build().write(data);
        train = SomethingSomething.read(data, SomethingSomething.Split.TRAIN);
    }

    private static TsmModelSpec spec(String norm, float dropout) {
        return new TsmModelSpec("resnet8w8", norm, 4, 8, true, 1, dropout, 16, 18, train.classes());
    }

    private static VideoClipDataset trainSet() {
        return VideoClipDataset.builder().setList(train).optSegments(4).optTraining(true)
                .optTransform(new MultiScaleCrop(16)).optSeed(3).build();
    }

    /**
     * Overfitting 8 clips for 24 steps: the mean loss of the last 4 steps is below 0.85 x that of the first 4, for every
     * norm of the paper's video table (the norm sees 4 clips x 4 frames = 16 frames as its batch).
     */
    @ParameterizedTest
    @ValueSource(strings = {"bn", "bn+ws", "gn", "gn+ws", "bcn+ws", "djl-bn"})
    void lossDecreases(String norm) throws IOException {
        // the same 8 centre-frame clips every epoch, so the curve shows fitting rather than augmentation noise
        VideoClipDataset fixed = VideoClipDataset.builder().setList(train).optSegments(4).optTraining(false)
                .optTransform(ClipTransform.test(18, 16)).build();
        VideoTrainer t = VideoTrainer.builder().setSpec(spec(norm, 0f)).setTrainSet(fixed).optEpochs(12)
                .optClipsPerBatch(4).optLr(0.05f).optLrSteps().optSeed(1).optOutDir(Files.createTempDirectory("vt"))
                .build();
        TrainResult r;
        try (NDManager m = Engine.getInstance().newBaseManager()) {
            r = t.train(m);
        }
        assertEquals(24, r.steps());
        List<String> log = Files.readAllLines(findLog(t));
        double first = 0;
        double last = 0;
        for (int i = 1; i <= 4; i++) {
            first += Double.parseDouble(log.get(i).split(",")[3]);
            last += Double.parseDouble(log.get(log.size() - i).split(",")[3]);
        }
        // seeded, so the curve is reproducible; plain GN is the slowest (about 0.76 of the start after 24 steps)
        assertTrue(last < 0.85 * first, norm + ": loss of the first 4 steps " + first / 4 + ", last 4 " + last / 4);
    }

    private static Path findLog(VideoTrainer t) {
        return t.outDir().resolve("train_log.csv");
    }

    /**
     * iter_size is gradient accumulation, not a different objective: 3 updates of 2 micro-batches x 2 clips move the
     * weights as 3 updates of 4 clips do (GN, no dropout, fixed centre-frame clips, so both see the same clips and no
     * batch statistics). A micro-batch loss not scaled by 1 / iter_size doubles the gradient; the check allows 1e-4
     * of each parameter's move (float32 sums in another order), and the logged losses must agree to 1e-5.
     */
    @Test
    void microBatchesAccumulateToTheLargeBatchUpdate(@TempDir Path a, @TempDir Path b, @TempDir Path c)
            throws IOException {
        VideoClipDataset fixed = VideoClipDataset.builder().setList(train).optSegments(4).optTraining(false)
                .optTransform(ClipTransform.test(18, 16)).build();
        int[][] shapes = {{4, 1}, {4, 1}, {2, 2}}; // clips per micro-batch, micro-batches per update
        int[] steps = {0, 3, 3};
        Path[] dirs = {a, b, c};
        List<float[]> weights = new ArrayList<>();
        for (int k = 0; k < 3; k++) {
            try (NDManager m = Engine.getInstance().newBaseManager()) {
                VideoTrainer t = VideoTrainer.builder().setSpec(spec("gn", 0f)).setTrainSet(fixed).optEpochs(2)
                        .optClipsPerBatch(shapes[k][0]).optIterSize(shapes[k][1]).optLr(0.05f).optLrSteps()
                        .optSeed(1).optOutDir(dirs[k]).optMaxSteps(steps[k]).build();
                t.train(m);
                weights.add(flatten(t.network()));
            }
        }
        float[] start = weights.get(0);
        double diff = 0;
        double moved = 0;
        for (int j = 0; j < start.length; j++) {
            diff += Math.pow(weights.get(2)[j] - weights.get(1)[j], 2);
            moved += Math.pow(weights.get(1)[j] - start[j], 2);
        }
        assertTrue(moved > 0, "the updates moved the weights");
        assertTrue(Math.sqrt(diff) <= 1e-4 * Math.sqrt(moved), "accumulated and large-batch updates differ by "
                + Math.sqrt(diff / moved) + " of their size");
        List<String> large = Files.readAllLines(b.resolve("train_log.csv"));
        List<String> micro = Files.readAllLines(c.resolve("train_log.csv"));
        assertEquals(large.size(), micro.size());
        for (int i = 1; i < large.size(); i++) {
            assertEquals(Double.parseDouble(large.get(i).split(",")[3]), Double.parseDouble(micro.get(i).split(",")[3]),
                    1e-5, "loss of update " + i);
        }
    }

    /** 3 steps + resume for 5 more = 8 straight steps, dropout on: its masks are drawn per (seed, step) too. */
    @Test
    void resumeContinuesExactly(@TempDir Path a, @TempDir Path b) throws IOException {
        float[] straight;
        try (NDManager m = Engine.getInstance().newBaseManager()) {
            VideoTrainer t = VideoTrainer.builder().setSpec(spec("bn", 0.5f)).setTrainSet(trainSet()).optEpochs(4)
                    .optClipsPerBatch(2).optIterSize(2).optLr(0.05f).optLrSteps(1).optOutDir(a).build();
            t.train(m);
            straight = flatten(t.network());
        }
        try (NDManager m = Engine.getInstance().newBaseManager()) {
            VideoTrainer.builder().setSpec(spec("bn", 0.5f)).setTrainSet(trainSet()).optEpochs(4)
                    .optClipsPerBatch(2).optIterSize(2).optLr(0.05f).optLrSteps(1).optOutDir(b).optMaxSteps(3)
                    .build().train(m);
        }
        float[] resumed;
        try (NDManager m = Engine.getInstance().newBaseManager()) {
            VideoTrainer t = VideoTrainer.builder().setSpec(spec("bn", 0.5f)).setTrainSet(trainSet()).optEpochs(4)
                    .optClipsPerBatch(2).optIterSize(2).optLr(0.05f).optLrSteps(1).optOutDir(b).optResume(true)
                    .build();
            TrainResult r = t.train(m);
            assertEquals(8, r.steps());
            resumed = flatten(t.network());
        }
        assertEquals(straight.length, resumed.length);
        // float32 on the same engine and thread count: the same operations in the same order
        assertArrayEquals(straight, resumed, 1e-5f);
        assertEquals(Files.readAllLines(a.resolve("train_log.csv")).size(),
                Files.readAllLines(b.resolve("train_log.csv")).size());
    }

    /**
     * On MXNet the trainer holds W_hat once per update on the host; 3 updates of 2 micro-batches move every
     * parameter array as standardising in every forward through MXNet's operators does
     * ({@code -Dwsbcn.norm.hostWs=false}): the two moves differ by at most 1e-3 of their size.
     */
    @Test
    void heldWeightStandardizationTrainsAsPerForward(@TempDir Path a, @TempDir Path b, @TempDir Path c)
            throws IOException {
        // the start (0 steps), then 3 updates held on the host, then 3 standardising in every forward
        List<List<float[]>> weights = new ArrayList<>();
        Path[] dirs = {c, a, b};
        for (int k = 0; k < 3; k++) {
            if (k == 2) {
                System.setProperty(ai.wsbcn.norm.engine.HostRowStandardization.PROPERTY, "false");
            }
            try (NDManager m = Engine.getInstance().newBaseManager()) {
                VideoTrainer t = VideoTrainer.builder().setSpec(spec("gn+ws", 0f)).setTrainSet(trainSet())
                        .optEpochs(4).optClipsPerBatch(2).optIterSize(2).optLr(0.05f).optLrSteps(1)
                        .optOutDir(dirs[k]).optMaxSteps(k == 0 ? 0 : 3).build();
                t.train(m);
                if (k > 0) {
                    assertEquals(k == 1 && "MXNet".equals(m.getEngine().getEngineName()),
                            ai.wsbcn.norm.train.HeldWeights.of(t.network()).standardizesOnHost(), "route " + k);
                }
                List<float[]> arrays = new ArrayList<>();
                t.network().getParameters().forEach(p -> arrays.add(p.getValue().getArray().toFloatArray()));
                weights.add(arrays);
            } finally {
                System.clearProperty(ai.wsbcn.norm.engine.HostRowStandardization.PROPERTY);
            }
        }
        // compare what the updates did (weights minus the start): the weights themselves barely move in 3 updates
        for (int i = 0; i < weights.get(0).size(); i++) {
            float[] start = weights.get(0).get(i);
            float[] held = weights.get(1).get(i);
            float[] perForward = weights.get(2).get(i);
            double diff = 0;
            double moved = 0;
            for (int j = 0; j < start.length; j++) {
                diff += Math.pow(held[j] - perForward[j], 2);
                moved += Math.pow(perForward[j] - start[j], 2);
            }
            assertTrue(Math.sqrt(diff) <= 1e-3 * Math.sqrt(moved) + 1e-8, "parameter " + i + ": the updates differ by "
                    + Math.sqrt(diff / Math.max(moved, 1e-30)) + " of their size");
        }
    }

    private static float[] flatten(TsmNetwork net) {
        List<float[]> parts = new ArrayList<>();
        int n = 0;
        for (Pair<String, Parameter> p : net.getParameters()) {
            float[] v = p.getValue().getArray().toFloatArray();
            parts.add(v);
            n += v.length;
        }
        float[] out = new float[n];
        int o = 0;
        for (float[] v : parts) {
            System.arraycopy(v, 0, out, o, v.length);
            o += v.length;
        }
        return out;
    }

    /**
     * Ops that start from a parameter (WS, BCN, weight decay, gradient handles) put their results in the model's
     * manager; the trainer closes them after every step, so the count there does not grow with the steps.
     */
    @ParameterizedTest
    @ValueSource(strings = {"gn+ws", "bcn+ws"})
    void modelManagerDoesNotGrow(String norm) throws IOException {
        int[] counts = new int[2];
        for (int k = 0; k < 2; k++) {
            try (NDManager m = Engine.getInstance().newBaseManager()) {
                VideoTrainer t = VideoTrainer.builder().setSpec(spec(norm, 0.5f)).setTrainSet(trainSet()).optEpochs(4)
                        .optClipsPerBatch(2).optIterSize(2).optMaxSteps(k == 0 ? 3 : 7).build();
                t.train(m);
                counts[k] = t.managerArrays();
            }
        }
        assertEquals(counts[0], counts[1], norm + ": arrays in the model's manager after 3 and after 7 steps");
    }
}
