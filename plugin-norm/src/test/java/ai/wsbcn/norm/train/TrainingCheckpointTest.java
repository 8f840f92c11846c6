package ai.wsbcn.norm.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Blocks;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import ai.wsbcn.norm.ConvSpec;
import ai.wsbcn.norm.NormSpec;
import ai.wsbcn.norm.testing.NumericAssert;
import ai.wsbcn.norm.testing.TestEngines;
import ai.wsbcn.util.InvalidInputException;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.FloatBuffer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Resume equivalence: k updates + checkpoint + resume + m updates == k + m updates without interruption. */
class TrainingCheckpointTest {

    private static SequentialBlock model() {
        NormSpec spec = NormSpec.parse("bcn(4)+ws");
        return new SequentialBlock()
                .add(spec.buildConv(ConvSpec.builder().setKernel(3).setFilters(8).optPadding(1).build()))
                .add(spec.buildNorm(8))
                .add(Activation.reluBlock())
                .add(Pool.globalAvgPool2dBlock())
                .add(Blocks.batchFlattenBlock())
                .add(Linear.builder().setUnits(3).build());
    }

    private static SequentialBlock init(NDManager m) {
        SequentialBlock net = model();
        net.initialize(m, DataType.FLOAT32, new Shape(1, 2, 6, 6));
        int i = 0;
        for (Pair<String, ai.djl.nn.Parameter> p : net.getParameters()) {
            NDArray a = p.getValue().getArray();
            if (p.getKey().contains("running")) {
                continue;
            }
            float[] v = new float[(int) a.size()];
            for (int k = 0; k < v.length; k++) {
                v[k] = (float) Math.cos(0.3 * k + i) * 0.4f + (a.getShape().dimension() == 1 ? 1f : 0f);
            }
            a.set(FloatBuffer.wrap(v));
            i++;
        }
        return net;
    }

    /** The checkpoint of a freshly initialised model after one update. */
    private static Path afterOneUpdate(NDManager m, Path ckpt) throws IOException {
        NDArray x = m.randomNormal(new Shape(8, 2, 6, 6));
        NDArray y = m.create(new float[] {0, 1, 2, 0, 1, 2, 0, 1});
        SequentialBlock net = init(m);
        Sgd s = sgd();
        train(m, net, s, x, y, 0, 1);
        TrainingCheckpoint.save(ckpt, net, s, Map.of("step", "1"));
        return ckpt;
    }

    private static Sgd sgd() {
        return Sgd.builder().setSchedule(LrSchedule.cosine(0.05f, 10)).optWeightDecay(1e-3f).build();
    }

    private static void train(NDManager m, SequentialBlock net, Sgd sgd, NDArray x, NDArray y, int from, int to) {
        MicroBatchTrainer t = MicroBatchTrainer.builder().setModel(net).setOptimizer(sgd).optIterSize(2).build();
        for (int u = from; u < to; u++) {
            int base = (u % 4) * 2;
            t.step(k -> {
                NDArray xb = x.get(new NDIndex("{}:{}", base + k, base + k + 1));
                NDArray yb = y.get(new NDIndex("{}:{}", base + k, base + k + 1));
                NDArray logits = net.forward(new ParameterStore(m, false), new NDList(xb), true).singletonOrThrow();
                return logits.logSoftmax(1).mul(yb.oneHot(3)).sum().neg();
            });
        }
    }

    private static List<NDArray> params(SequentialBlock net) {
        List<NDArray> out = new ArrayList<>();
        for (Pair<String, ai.djl.nn.Parameter> p : net.getParameters()) {
            out.add(p.getValue().getArray().duplicate());
        }
        return out;
    }

    @ParameterizedTest
    @MethodSource("ai.wsbcn.norm.testing.TestEngines#names")
    void resumingContinuesExactly(String engine, @TempDir Path dir) throws Exception {
        try (NDManager m = TestEngines.manager(engine)) {
            m.getEngine().setRandomSeed(5);
            NDArray x = m.randomNormal(new Shape(8, 2, 6, 6));
            NDArray y = m.create(new float[] {0, 1, 2, 0, 1, 2, 0, 1});

            SequentialBlock straight = init(m);
            Sgd s1 = sgd();
            train(m, straight, s1, x, y, 0, 6);

            SequentialBlock first = init(m);
            Sgd s2 = sgd();
            train(m, first, s2, x, y, 0, 3);
            Path ckpt = dir.resolve("checkpoint.wsbcn");
            TrainingCheckpoint.save(ckpt, first, s2, Map.of("update", "3"));

            SequentialBlock resumed = init(m);
            Sgd s3 = sgd();
            assertEquals(Map.of("update", "3"), TrainingCheckpoint.readMeta(ckpt), "the metadata alone");
            Map<String, String> meta = TrainingCheckpoint.load(ckpt, resumed, s3, m);
            assertEquals("3", meta.get("update"));
            assertEquals(3, s3.updateIndex());
            train(m, resumed, s3, x, y, 3, 6);

            List<NDArray> a = params(straight);
            List<NDArray> b = params(resumed);
            for (int i = 0; i < a.size(); i++) {
                // includes the BCN running estimates; 1e-6 relative covers float reassociation only
                NumericAssert.assertRelClose(a.get(i), b.get(i), 1e-6, engine + " parameter " + i);
            }
            Files.writeString(dir.resolve("junk"), "not a checkpoint");
            assertThrows(InvalidInputException.class, () -> TrainingCheckpoint.load(dir.resolve("junk"), resumed,
                    s3, m));
            assertThrows(InvalidInputException.class, () -> TrainingCheckpoint.readMeta(dir.resolve("junk")));
        }
    }

    /** An optimizer state that does not fit the model fails with the file's name, not a bare IOException. */
    @ParameterizedTest
    @MethodSource("ai.wsbcn.norm.testing.TestEngines#names")
    void aForeignOptimizerStateNamesTheFile(String engine, @TempDir Path dir) throws Exception {
        try (NDManager m = TestEngines.manager(engine)) {
            Path ckpt = afterOneUpdate(m, dir.resolve("checkpoint.wsbcn"));
            // the same file with its optimizer section replaced by momentum for a parameter the model lacks
            java.io.DataInputStream in = new java.io.DataInputStream(Files.newInputStream(ckpt));
            String magic = in.readUTF();
            byte[] json = in.readNBytes(in.readInt());
            in.readNBytes(in.readInt());
            byte[] parameters = in.readAllBytes();
            in.close();
            NDArray foreign = m.zeros(new Shape(3));
            foreign.setName("no_such_parameter");
            byte[] arrays = new NDList(foreign).encode();
            byte[] state = java.nio.ByteBuffer.allocate(8 + arrays.length).putLong(1).put(arrays).array();
            try (java.io.DataOutputStream out = new java.io.DataOutputStream(Files.newOutputStream(ckpt))) {
                out.writeUTF(magic);
                out.writeInt(json.length);
                out.write(json);
                out.writeInt(state.length);
                out.write(state);
                out.write(parameters);
            }
            SequentialBlock target = init(m);
            float[] before = target.getParameters().valueAt(0).getArray().toFloatArray();
            InvalidInputException e = assertThrows(InvalidInputException.class,
                    () -> TrainingCheckpoint.load(ckpt, target, sgd(), m));
            org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains(ckpt.toString())
                    && e.getMessage().contains("no_such_parameter"), e.getMessage());
            // refused before anything was loaded: the model is as it was
            org.junit.jupiter.api.Assertions.assertArrayEquals(before,
                    target.getParameters().valueAt(0).getArray().toFloatArray());
        }
    }

    /** A checkpoint written before the first update (no momentum yet) loads, and training then continues. */
    @ParameterizedTest
    @MethodSource("ai.wsbcn.norm.testing.TestEngines#names")
    void aCheckpointBeforeTheFirstUpdateLoads(String engine, @TempDir Path dir) throws Exception {
        try (NDManager m = TestEngines.manager(engine)) {
            NDArray x = m.randomNormal(new Shape(8, 2, 6, 6));
            NDArray y = m.create(new float[] {0, 1, 2, 0, 1, 2, 0, 1});
            SequentialBlock net = init(m);
            Path ckpt = dir.resolve("start.wsbcn");
            TrainingCheckpoint.save(ckpt, net, sgd(), Map.of("step", "0"));
            SequentialBlock resumed = init(m);
            Sgd s = sgd();
            assertEquals(Map.of("step", "0"), TrainingCheckpoint.load(ckpt, resumed, s, m));
            assertEquals(0, s.updateIndex());
            train(m, resumed, s, x, y, 0, 1);
            assertEquals(1, s.updateIndex());
        }
    }

    /** A checkpoint cut anywhere, or with a damaged length field, is an input error naming the file. */
    @ParameterizedTest
    @MethodSource("ai.wsbcn.norm.testing.TestEngines#names")
    void aTruncatedOrDamagedCheckpointNamesTheFile(String engine, @TempDir Path dir) throws Exception {
        try (NDManager m = TestEngines.manager(engine)) {
            Path ckpt = afterOneUpdate(m, dir.resolve("checkpoint.bin"));
            byte[] whole = Files.readAllBytes(ckpt);
            int[] cuts = {25, 40, whole.length / 3, whole.length / 2, whole.length - 1};
            for (int cut : cuts) {
                Path cutFile = dir.resolve("cut" + cut + ".bin");
                Files.write(cutFile, java.util.Arrays.copyOf(whole, cut));
                InvalidInputException e = assertThrows(InvalidInputException.class,
                        () -> TrainingCheckpoint.load(cutFile, init(m), sgd(), m), "cut at " + cut);
                org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().startsWith(cutFile.toString()),
                        e.getMessage());
            }
            // the metadata length (after the magic's 2-byte length and 18 bytes) set to 2^31-1
            byte[] damaged = whole.clone();
            damaged[20] = 0x7f;
            damaged[21] = (byte) 0xff;
            damaged[22] = (byte) 0xff;
            damaged[23] = (byte) 0xff;
            Path bad = dir.resolve("bad.bin");
            Files.write(bad, damaged);
            InvalidInputException e = assertThrows(InvalidInputException.class,
                    () -> TrainingCheckpoint.load(bad, init(m), sgd(), m));
            org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("truncated or damaged"),
                    e.getMessage());
        }
    }
}
