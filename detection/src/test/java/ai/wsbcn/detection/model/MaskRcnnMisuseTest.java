package ai.wsbcn.detection.model;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import ai.wsbcn.detection.transforms.DetectionSample;
import ai.wsbcn.detection.transforms.ImageBatch;
import ai.wsbcn.detection.transforms.TargetInstances;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Misuse from Java gets a clear exception naming the image and instance, instead of an index error deep inside the
 * heads, NaN losses or training on a label the model does not have (the model's default engine; nothing here is
 * engine specific).
 */
class MaskRcnnMisuseTest {

    private static final int H = 48;
    private static final int W = 64;

    private static TargetInstances target(float[] box, int label) {
        byte[] mask = new byte[H * W];
        return new TargetInstances(box, new int[] {label}, new byte[][] {mask}, H, W);
    }

    private static String trainingError(TargetInstances t) {
        try (NDManager m = NDManager.newBaseManager()) {
            MaskRcnn model = MaskRcnn.build(MaskRcnnTrainingTest.tiny("gn", true));
            model.initialize(m, 64, 64);
            List<TargetInstances> resized = new ArrayList<>();
            Random random = new Random(0);
            ImageBatch batch = model.transform().batch(m, List.of(new DetectionSample(7, new byte[H * W * 3], H, W,
                    t)), random, resized);
            return assertThrows(IllegalArgumentException.class,
                    () -> model.losses(new ParameterStore(m, false), batch, resized, random)).getMessage();
        }
    }

    @Test
    void labelsOutsideOneToKAreRefused() {
        // tiny() has 3 classes: 4 used to index past the one-hot rows, 0 trained as background silently
        assertTrue(trainingError(target(new float[] {4, 4, 20, 20}, 4)).contains("image 7, instance 0: label 4"
                + " is outside 1..3"));
        assertTrue(trainingError(target(new float[] {4, 4, 20, 20}, 0)).contains("label 0 is outside 1..3"));
    }

    @Test
    void degenerateOrNonFiniteBoxesAreRefusedAsTorchvisionDoes() {
        // an inverted box gave a NaN loss_rpn_box_reg
        assertTrue(trainingError(target(new float[] {20, 20, 4, 4}, 1)).contains("needs finite x1 < x2"));
        assertTrue(trainingError(target(new float[] {4, 4, 4, 20}, 1)).contains("instance 0: box"));
        assertTrue(trainingError(target(new float[] {Float.NaN, 4, 20, 20}, 1)).contains("instance 0: box"));
    }

    @Test
    void missingTargetsAreRefused() {
        assertTrue(trainingError(null).contains("image 7: training needs its targets"));
    }

    @Test
    void masksOfAnotherSizeAndTargetsOfAnotherFrameAreRefusedWhenBuilt() {
        // both used to end in an ArrayIndexOutOfBoundsException inside the mask resize
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new TargetInstances(
                new float[] {1, 1, 5, 5}, new int[] {1}, new byte[][] {new byte[10]}, H, W));
        assertTrue(e.getMessage().contains("mask of instance 0 needs 48*64 bytes"), e.getMessage());
        TargetInstances half = new TargetInstances(new float[] {1, 1, 5, 5}, new int[] {1},
                new byte[][] {new byte[H * W / 4]}, H / 2, W / 2);
        e = assertThrows(IllegalArgumentException.class, () -> new DetectionSample(3, new byte[H * W * 3], H, W,
                half));
        assertTrue(e.getMessage().contains("image 3 is 64x48 but its targets are for a 32x24 image"),
                e.getMessage());
    }

    @Test
    void uninitialisedModelAndUnbatchedInputGetClearErrors() {
        try (NDManager m = NDManager.newBaseManager()) {
            MaskRcnn model = MaskRcnn.build(MaskRcnnTrainingTest.tiny("gn", true));
            ImageBatch batch = model.transform().batch(m, List.of(new DetectionSample(1, new byte[H * W * 3], H, W,
                    null)), null, null);
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> model.detect(new ParameterStore(m, false), batch));
            assertTrue(e.getMessage().contains("not initialised"), e.getMessage());
            model.initialize(m, 64, 64);
            IllegalArgumentException shape = assertThrows(IllegalArgumentException.class, () -> model.forward(
                    new ParameterStore(m, false), new NDList(m.zeros(new Shape(3, 64, 64))), false));
            assertTrue(shape.getMessage().contains("image batch (N, 3, H, W), got (3, 64, 64)"), shape.getMessage());
        }
    }
}
