package ai.wsbcn.detection.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.wsbcn.detection.transforms.ImageBatch;
import ai.wsbcn.detection.transforms.TargetInstances;
import ai.wsbcn.norm.testing.TestEngines;
import ai.wsbcn.util.ArrayOverwrite;
import ai.wsbcn.util.ForwardScope;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Scoped forward ({@link ForwardScope}) changes memory only: the tiny Mask R-CNN's five losses, every parameter's
 * gradient and the detections are bit-identical with scoping on and off, per engine and norm. A garbage collection
 * runs between forward and backward so that a Java buffer freed too early (PyTorch arrays made from Java data) would
 * show up as a changed gradient. Scoping must also leave fewer arrays alive in the step's manager after the forward.
 */
class ScopedForwardTest {

    @AfterEach
    void restore() {
        ForwardScope.setEnabled(true);
    }

    record Run(Map<String, float[]> losses, Map<String, float[]> gradients, int liveArrays, float[] detections) {}

    @ParameterizedTest
    @CsvSource({"MXNet, gn+ws", "MXNet, bcn+ws", "PyTorch, gn+ws", "PyTorch, bcn+ws", "PyTorch, frozen-bn",
        "MXNet, gn"})
    void lossesGradientsAndDetectionsAreBitIdentical(String engine, String norm) {
        try (NDManager m = TestEngines.manager(engine)) {
            MaskRcnn model = MaskRcnn.build(MaskRcnnTrainingTest.tiny(norm, true));
            model.initialize(m, 64, 64);
            Map<String, Parameter> params = model.namedParameters();
            Map<String, float[]> initial = new LinkedHashMap<>();
            params.forEach((k, p) -> initial.put(k, p.getArray().toType(DataType.FLOAT32, false).toFloatArray()));
            for (Parameter p : params.values()) {
                if (p.requiresGradient()) {
                    p.getArray().setRequiresGradient(true);
                }
            }
            Run on = run(m, model, params, initial, true);
            Run off = run(m, model, params, initial, false);
            assertEquals(off.losses().keySet(), on.losses().keySet());
            for (String k : off.losses().keySet()) {
                assertArrayEquals(off.losses().get(k), on.losses().get(k), 0f, engine + " " + norm + " " + k);
            }
            assertEquals(off.gradients().keySet(), on.gradients().keySet());
            assertFalse(on.gradients().isEmpty());
            for (String k : off.gradients().keySet()) {
                assertArrayEquals(off.gradients().get(k), on.gradients().get(k), 0f, engine + " " + norm + " " + k);
            }
            assertTrue(off.detections().length > 0, "no detections to compare");
            assertArrayEquals(off.detections(), on.detections(), 0f, engine + " " + norm + " detections");
            assertTrue(on.liveArrays() < off.liveArrays(), "arrays alive after the forward: scoped "
                    + on.liveArrays() + ", unscoped " + off.liveArrays());
        }
    }

    private static Run run(NDManager m, MaskRcnn model, Map<String, Parameter> params, Map<String, float[]> initial,
            boolean scoped) {
        ForwardScope.setEnabled(scoped);
        // same weights and running estimates (BCN updates its estimates in the forward) for both runs; MKL-DNN has
        // re-laid the conv weights out during the first run's detection pass, which a host write would refuse
        params.forEach((k, p) -> ArrayOverwrite.floats(p.getArray(), initial.get(k)));
        ParameterStore ps = new ParameterStore(m, false);
        Random random = new Random(11);
        Map<String, float[]> losses = new LinkedHashMap<>();
        Map<String, float[]> gradients = new LinkedHashMap<>();
        int live;
        try (NDManager step = m.newSubManager()) {
            List<TargetInstances> targets = new ArrayList<>();
            ImageBatch batch = model.transform().batch(step, List.of(MaskRcnnTrainingTest.sample(0),
                    MaskRcnnTrainingTest.sample(1)), random, targets);
            try (GradientCollector gc = m.getEngine().newGradientCollector()) {
                gc.zeroGradients();
                Map<String, NDArray> l = model.losses(ps, batch, targets, random);
                live = ((ai.djl.ndarray.BaseNDManager) step).getManagedArrays().size();
                l.forEach((k, v) -> losses.put(k, v.toFloatArray()));
                System.gc();
                gc.backward(MaskRcnn.total(l));
            }
            params.forEach((k, p) -> {
                if (p.requiresGradient()) {
                    gradients.put(k, p.getArray().getGradient().toFloatArray());
                }
            });
        }
        float[] detections;
        try (NDManager step = m.newSubManager()) {
            ImageBatch batch = model.transform().batch(step, List.of(MaskRcnnTrainingTest.sample(2)), null, null);
            List<Detections> d = model.detect(ps, batch);
            List<Float> flat = new ArrayList<>();
            for (Detections x : d) {
                for (float v : x.boxes()) {
                    flat.add(v);
                }
                for (float v : x.scores()) {
                    flat.add(v);
                }
                for (float[] mask : x.maskProbs()) {
                    for (float v : mask) {
                        flat.add(v);
                    }
                }
            }
            detections = new float[flat.size()];
            for (int i = 0; i < detections.length; i++) {
                detections[i] = flat.get(i);
            }
        }
        return new Run(losses, gradients, live, detections);
    }
}
