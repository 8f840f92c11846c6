package ai.wsbcn.detection.model;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.wsbcn.detection.transforms.ImageBatch;
import ai.wsbcn.detection.transforms.TargetInstances;
import ai.wsbcn.norm.testing.TestEngines;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Side by side with torchvision 0.14 ({@code /usr/bin/python3}; skipped when it is not installed): the same weights
 * (exported under their torchvision names and loaded with {@code load_state_dict} — no missing or unexpected key)
 * and the same input give the same FPN outputs (frozen-bn: plain FPN/head convolutions; gn: torch GroupNorm in the
 * backbone, FPN and heads, i.e. torchvision's {@code norm_layer} path), the same RPN proposals (train and eval settings), the same five
 * training losses (samplers set to take every anchor/RoI, so no randomness is involved) and the same detections
 * and mask probabilities. torchvision's RoI heads are fed the Java proposals, so that a proposal kept by one side
 * only (IoU equal to the NMS threshold up to float rounding) cannot change the downstream comparison.
 *
 * <p>Tolerances: feature sums rel 1e-4; proposals: 99% identical within 2e-2 px; losses rel 2e-3; box coordinates
 * abs 2e-2 px; scores and mask probabilities abs 2e-3 (float32 on different engines; top-k/NMS orderings are made
 * unambiguous by scaling the classifier weights so that no two scores are close).
 */
class MaskRcnnTorchvisionParityTest {

    private static final Path PYTHON = Path.of("/usr/bin/python3");
    private static final int H = 64;
    private static final int W = 96;

    /** frozen-bn: plain FPN/head convs with bias; gn: GroupNorm everywhere (conv without bias + norm in FPN/heads). */
    @ParameterizedTest
    @ValueSource(strings = {"frozen-bn", "gn"})
    void sameProposalsLossesAndDetectionsAsTorchvision(String norm, @TempDir Path dir) throws Exception {
        assumeTrue(Files.isExecutable(PYTHON), "no /usr/bin/python3");
        DetectorConfig config = DetectorConfig.builder().setArch("resnet18").setNorm(norm).setNumClasses(3)
                .optFpnChannels(32).optHeadConvs(4, 32).optRepresentationSize(64).optMaskConvs(4, 32)
                .optRpnSampling(100000, 1f).optBoxSampling(100000, 1f).build();
        JsonObject manifest = new JsonObject();
        manifest.add("config", JsonParser.parseString(config.toJson()));
        try (NDManager m = NDManager.newBaseManager(TestEngines.MXNET)) {
            // seeded, so the case does not depend on which tests drew from the engine's generator before: with the
            // weights drawn after DetectLeavesNothingTest the lists had near-tied orders (eval proposals 13 of 331
            // agreeing), and seed 3 gives near-tied detections; seed 0 gives decisive ones with both norms
            m.getEngine().setRandomSeed(0);
            MaskRcnn model = MaskRcnn.build(config);
            model.initialize(m, H, W);
            Map<String, Parameter> params = model.namedParameters();
            // decisive scores: no near-ties in top-k / NMS orderings between the two implementations
            scale(params.get("rpn.head.cls_logits.weight"), 300f);
            scale(params.get("rpn.head.bbox_pred.weight"), 10f);
            scale(params.get("roi_heads.box_predictor.cls_score.weight"), 300f);
            scale(params.get("roi_heads.box_predictor.bbox_pred.weight"), 300f);
            JsonObject names = new JsonObject();
            int k = 0;
            for (Map.Entry<String, Parameter> e : params.entrySet()) {
                NDArray a = e.getValue().getArray();
                String file = "p" + (k++) + ".bin";
                write(dir.resolve(file), a.toFloatArray());
                JsonArray entry = new JsonArray();
                entry.add(file);
                entry.add(shape(a.getShape()));
                names.add(e.getKey(), entry);
            }
            manifest.add("parameters", names);
            manifest.add("featureChannels", toJson(model.backbone().body().featureChannels()));

            Random rnd = new Random(11);
            float[] image = new float[3 * H * W];
            for (int i = 0; i < image.length; i++) {
                image[i] = (float) rnd.nextGaussian();
            }
            write(dir.resolve("image.bin"), image);
            manifest.add("imageShape", shape(new Shape(1, 3, H, W)));
            manifest.add("imageSize", toJson(new int[] {H, W}));
            float[] boxes = {8, 10, 40, 50, 50, 5, 90, 30};
            int[] labels = {1, 3};
            byte[][] masks = new byte[2][H * W];
            float[] maskFloats = new float[2 * H * W];
            for (int i = 0; i < 2; i++) {
                for (int y = (int) boxes[4 * i + 1]; y < boxes[4 * i + 3]; y++) {
                    for (int x = (int) boxes[4 * i] + (y % 7); x < boxes[4 * i + 2]; x++) {
                        masks[i][y * W + x] = 1;
                        maskFloats[i * H * W + y * W + x] = 1f;
                    }
                }
            }
            write(dir.resolve("masks.bin"), maskFloats);
            JsonObject t = new JsonObject();
            t.add("boxes", toJson(boxes));
            t.add("labels", toJson(labels));
            manifest.add("targets", t);
            Files.writeString(dir.resolve("manifest.json"), manifest.toString());

            ImageBatch batch = new ImageBatch(m.create(image, new Shape(1, 3, H, W)), new long[] {1},
                    new int[] {H}, new int[] {W}, new int[] {H}, new int[] {W}, new boolean[] {false});
            List<TargetInstances> targets = List.of(new TargetInstances(boxes, labels, masks, H, W));
            ParameterStore ps = new ParameterStore(m, false);
            NDList features = model.backbone().forward(ps, new NDList(batch.images()), false);
            float[] trainProposals = model.rpn().forward(ps, features, H, W, new int[] {H}, new int[] {W}, targets,
                    true, new Random(0)).proposals().get(0);
            float[] evalProposals = model.rpn().forward(ps, features, H, W, new int[] {H}, new int[] {W}, null,
                    false, null).proposals().get(0);
            write(dir.resolve("train_proposals.bin"), trainProposals);
            write(dir.resolve("eval_proposals.bin"), evalProposals);

            JsonObject tv = runTorchvision(dir);
            assumeTrue(tv != null, "torchvision not available");
            assertEquals(0, tv.getAsJsonArray("missing").size(), tv.get("missing").toString());
            assertEquals(0, tv.getAsJsonArray("unexpected").size(), tv.get("unexpected").toString());

            JsonArray sums = tv.getAsJsonArray("features");
            for (int l = 0; l < 5; l++) {
                double mine = features.get(l).abs().sum().getFloat();
                double theirs = sums.get(l).getAsDouble();
                assertEquals(theirs, mine, 1e-4 * theirs, "P" + (l + 2) + " |sum|");
            }
            assertSameProposals(floats(tv.getAsJsonArray("proposals")), evalProposals, "eval proposals");
            assertSameProposals(floats(tv.getAsJsonArray("trainProposals")), trainProposals, "train proposals");

            Map<String, NDArray> losses;
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                losses = model.losses(ps, batch, targets, new Random(0));
                JsonObject expected = tv.getAsJsonObject("losses");
                assertEquals(expected.keySet(), losses.keySet());
                for (String name : expected.keySet()) {
                    double theirs = expected.get(name).getAsDouble();
                    double mine = losses.get(name).getFloat();
                    assertEquals(theirs, mine, 2e-3 * Math.abs(theirs) + 1e-6, name);
                }
            }

            Detections d = model.detect(ps, batch).get(0);
            assertTrue(d.size() > 0, "no detections to compare");
            assertClose(floats(tv.getAsJsonArray("boxes")), d.boxes(), 2e-2, "boxes");
            assertClose(floats(tv.getAsJsonArray("scores")), d.scores(), 2e-3, "scores");
            int[] tvLabels = tv.getAsJsonArray("labels").asList().stream().mapToInt(e -> e.getAsInt()).toArray();
            assertEquals(java.util.Arrays.toString(tvLabels), java.util.Arrays.toString(d.labels()));
            float[] probs = new float[d.size() * 28 * 28];
            for (int i = 0; i < d.size(); i++) {
                System.arraycopy(d.maskProbs()[i], 0, probs, i * 784, 784);
            }
            assertClose(floats(tv.getAsJsonArray("maskProbs")), probs, 2e-3, "mask probabilities");
        }
    }

    /**
     * The proposal lists agree up to NMS decisions on the threshold: a box whose IoU with a kept box equals 0.7 up to
     * float rounding (coordinates decoded by different float code) may be kept on one side only. At least 99% of
     * either list must have a box within 2e-2 px in the other, and the lists must be at least 100 long.
     */
    private static void assertSameProposals(float[] expected, float[] actual, String what) {
        assertTrue(expected.length >= 400, what + ": too few proposals to compare: " + expected.length / 4);
        int e = expected.length / 4;
        int a = actual.length / 4;
        assertTrue(Math.abs(e - a) <= Math.max(2, e / 100), what + " count " + a + " vs torchvision " + e);
        int matched = 0;
        int j = 0;
        for (int i = 0; i < e && j < a; i++) {
            // both lists are by decreasing score: walk them together, skipping a box missing on one side
            if (close(expected, i, actual, j)) {
                matched++;
                j++;
            } else if (j + 1 < a && close(expected, i, actual, j + 1)) {
                matched++;
                j += 2;
            }
        }
        assertTrue(matched >= 0.99 * Math.max(e, a), what + ": " + matched + " of " + e + " / " + a + " agree");
    }

    private static boolean close(float[] x, int i, float[] y, int j) {
        for (int c = 0; c < 4; c++) {
            if (Math.abs(x[4 * i + c] - y[4 * j + c]) > 2e-2) {
                return false;
            }
        }
        return true;
    }

    private static void scale(Parameter p, float factor) {
        NDArray a = p.getArray();
        a.muli(factor);
    }

    private static JsonObject runTorchvision(Path dir) throws IOException, InterruptedException {
        Path script = dir.resolve("parity.py");
        try (InputStream in = MaskRcnnTorchvisionParityTest.class.getResourceAsStream(
                "/torchvision/mask_rcnn_parity.py")) {
            Files.copy(in, script);
        }
        Process p = new ProcessBuilder(PYTHON.toString(), script.toString(), dir.toString())
                .redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("torchvision script timed out");
        }
        if (p.exitValue() != 0) {
            if (log.contains("ModuleNotFoundError")) {
                return null;
            }
            throw new AssertionError("torchvision script failed:\n" + log);
        }
        return JsonParser.parseString(Files.readString(dir.resolve("torchvision.json"))).getAsJsonObject();
    }

    private static void assertClose(float[] expected, float[] actual, double tol, String what) {
        assertEquals(expected.length, actual.length, what + " count");
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], tol, what + "[" + i + "]");
        }
    }

    private static float[] floats(JsonArray a) {
        float[] out = new float[a.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = a.get(i).getAsFloat();
        }
        return out;
    }

    private static void write(Path file, float[] v) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(v);
        Files.write(file, b.array());
    }

    private static JsonArray shape(Shape s) {
        JsonArray a = new JsonArray();
        for (long d : s.getShape()) {
            a.add(d);
        }
        return a;
    }

    private static JsonArray toJson(int[] v) {
        JsonArray a = new JsonArray();
        for (int x : v) {
            a.add(x);
        }
        return a;
    }

    private static JsonArray toJson(float[] v) {
        JsonArray a = new JsonArray();
        for (float x : v) {
            a.add(x);
        }
        return a;
    }
}
