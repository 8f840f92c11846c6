package ai.wsbcn.pretrained.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.wsbcn.norm.NormSpec;
import ai.wsbcn.norm.testing.TestEngines;
import ai.wsbcn.pretrained.data.InMemoryClassificationSet;
import ai.wsbcn.pretrained.data.MnistDatasets;
import ai.wsbcn.pretrained.data.MnistLayout;
import ai.wsbcn.pretrained.data.Normalization;
import ai.wsbcn.pretrained.data.Split;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.DataInputStream;
import java.io.PrintStream;
import java.io.OutputStream;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

/**
 * Micro-batch pretraining: a stopped-and-resumed run ends with exactly the parameters and log of an uninterrupted one
 * (same data order, momentum, BCN estimates), and resnet8 learns Fashion-MNIST from a few hundred updates.
 */
class ClassificationPretrainerTest {

    private static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());

    @TempDir
    Path dir;

    @Test
    void resumedRunEqualsUninterruptedRun() throws Exception {
        try (NDManager m = TestEngines.manager(TestEngines.MXNET);
                InMemoryClassificationSet data = synthetic(m, 48, 7)) {
            ClassificationPretrainer.Builder b = ClassificationPretrainer.builder().setArch("resnet8")
                    .setNorm(NormSpec.parse("bcn+ws")).optMicroBatch(2).optIterSize(3).optSamples(60).optLr(0.05f)
                    .optSeed(3).optConsole(QUIET);
            PretrainResult straight = b.setOutDir(dir.resolve("a")).build().train(m, data, data);
            b.setOutDir(dir.resolve("b")).optStopAfter(4).build().train(m, data, data);
            PretrainResult resumed = b.optStopAfter(Long.MAX_VALUE).optResume(true).build().train(m, data, data);
            assertEquals(10, straight.updates());
            assertEquals(straight.lastLoss(), resumed.lastLoss(), "last loss");
            assertEquals(straight.top1Error(), resumed.top1Error(), "test error");
            List<String> logA = Files.readAllLines(dir.resolve("a/train_log.csv"));
            List<String> logB = Files.readAllLines(dir.resolve("b/train_log.csv"));
            assertEquals(logA, logB, "loss/lr log");
            // momentum buffers are keyed by per-instance parameter ids, so compare the parameter section only; a lost
            // momentum or BCN estimate would already have changed the logged losses after update 4
            assertArrayEquals(parameterSection(dir.resolve("a/checkpoint.bin")),
                    parameterSection(dir.resolve("b/checkpoint.bin")), "final parameters (incl. BCN estimates)");
            assertTrue(Files.readString(dir.resolve("a/summary.json")).contains("\"test_error\""));

            // resuming a finished run trains nothing, gives the same test error and keeps the run's summary
            String summary = Files.readString(dir.resolve("b/summary.json"));
            PretrainResult again = b.build().train(m, data, data);
            assertEquals(resumed.top1Error(), again.top1Error(), "test error of the finished run");
            assertEquals(0.0, again.seconds());
            assertEquals(summary, Files.readString(dir.resolve("b/summary.json")));
            assertEquals(logB, Files.readAllLines(dir.resolve("b/train_log.csv")));
        }
    }

    @Test
    void resnet8LearnsFashionMnist() throws Exception {
        assumeTrue(MnistLayout.isComplete(MnistLayout.SYSTEM_FASHION_MNIST), "Fashion-MNIST not installed");
        try (NDManager m = TestEngines.manager(TestEngines.MXNET);
                InMemoryClassificationSet train = MnistDatasets.load(m, MnistLayout.SYSTEM_FASHION_MNIST, Split.TRAIN,
                        Normalization.FASHION_MNIST, 4000);
                InMemoryClassificationSet test = MnistDatasets.load(m, MnistLayout.SYSTEM_FASHION_MNIST, Split.TEST,
                        Normalization.FASHION_MNIST, 1000)) {
            PretrainResult r = ClassificationPretrainer.builder().setArch("resnet8").setNorm(NormSpec.parse("gn+ws"))
                    .optMicroBatch(8).optIterSize(1).optSamples(150 * 8).optLr(0.1f).optSeed(1)
                    .setOutDir(dir).optConsole(QUIET).build().train(m, train, test);
            System.out.printf("fashion-mnist subset: top-1 error %.1f%%, top-5 %.1f%%, %.1f s%n", r.top1Error(),
                    r.top5Error(), r.seconds());
            // chance is 90% error; 150 updates of 8 samples get well below half of that
            assertTrue(r.top1Error() < 45, "top-1 error " + r.top1Error());
            assertTrue(r.top5Error() <= r.top1Error());
        }
    }

    /** The model part of a TrainingCheckpoint file: after the magic, the metadata JSON and the optimizer state. */
    private static byte[] parameterSection(Path file) throws Exception {
        try (DataInputStream in = new DataInputStream(Files.newInputStream(file))) {
            in.readUTF();
            in.skipNBytes(in.readInt());
            in.skipNBytes(in.readInt());
            return in.readAllBytes();
        }
    }

    /** Class c: a bright c-th horizontal band plus noise, so the task is learnable. */
    private static InMemoryClassificationSet synthetic(NDManager m, int n, int classes) {
        Random r = new Random(11);
        int h = 14;
        FloatBuffer px = InMemoryClassificationSet.allocatePixels((long) n * h * h);
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i % classes;
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < h; x++) {
                    px.put((y / 2 == labels[i] ? 1.5f : 0f) + (float) r.nextGaussian() * 0.3f);
                }
            }
        }
        px.flip();
        return InMemoryClassificationSet.of(m, px, new Shape(1, h, h), labels, classes);
    }
}
