package ai.wsbcn.detection.model;

import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import ai.wsbcn.detection.transforms.ImageBatch;
import ai.wsbcn.norm.testing.TestEngines;
import ai.wsbcn.norm.train.TransientArrays;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Inference in a loop (a service, {@code detection eval} over 5,000 images) does not grow the model's manager: the
 * standardised weights of a {@code +ws} model used to stay there after every {@code detect} (about 160 arrays per
 * call for this tiny model, a ResNet-50's weights per image at full size), and repeated calls give identical
 * detections.
 */
class DetectLeavesNothingTest {

    @ParameterizedTest
    @MethodSource("ai.wsbcn.norm.testing.TestEngines#names")
    void repeatedDetectKeepsTheModelManagerFlat(String engine) {
        try (NDManager m = TestEngines.manager(engine)) {
            MaskRcnn model = MaskRcnn.build(MaskRcnnTrainingTest.tiny("gn+ws", true));
            model.initialize(m, 64, 64);
            ParameterStore ps = new ParameterStore(m, false);
            TransientArrays counter = new TransientArrays(m);
            Detections first = null;
            int before = counter.directCount();
            for (int call = 0; call < 3; call++) {
                try (NDManager sub = m.newSubManager()) {
                    ImageBatch b = model.transform().batch(sub, List.of(MaskRcnnTrainingTest.sample(call % 2)), null,
                            null);
                    Detections d = model.detect(ps, b).get(0);
                    if (call == 0) {
                        first = d;
                        assertTrue(d.size() > 0, "random weights give detections to compare");
                    } else if (call == 2) {
                        assertArrayEquals(first.boxes(), d.boxes(), engine);
                        assertArrayEquals(first.scores(), d.scores(), engine);
                    }
                }
                assertEquals(before, counter.directCount(), engine + ": arrays left in the model's manager after call "
                        + call);
            }
        }
    }
}
