package ai.wsbcn.detection.model.poolers;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.GradientCollector;
import ai.wsbcn.detection.ops.DetectionOps;
import ai.wsbcn.detection.ops.MxDetectionOps;
import ai.wsbcn.detection.ops.PortableDetectionOps;
import ai.wsbcn.norm.testing.NumericAssert;
import ai.wsbcn.norm.testing.ReferenceData;
import ai.wsbcn.norm.testing.TestEngines;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

/**
 * torchvision MultiScaleRoIAlign(['0'..'3'], 7, 2) on 4 FPN levels of 2 images: pooled output
 * (multiscale_roi_align.npz) and feature gradients (extra_ops.npz, make_extra.py) within 1e-5 absolute, for both
 * operator implementations on every engine they run on.
 */
class MultiScaleRoIAlignTest {

    static Stream<Arguments> opsAndEngine() {
        return Stream.of(Arguments.of(TestEngines.MXNET, "mxnet-op"), Arguments.of(TestEngines.MXNET, "portable"),
                Arguments.of(TestEngines.PYTORCH, "portable"));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("opsAndEngine")
    void pooledAndGradientsEqualTorchvision(String engine, String impl) {
        DetectionOps ops = impl.equals("portable") ? new PortableDetectionOps() : new MxDetectionOps();
        try (NDManager m = TestEngines.manager(engine);
             ReferenceData ref = ReferenceData.load(m, "ops/multiscale_roi_align.npz");
             ReferenceData extra = ReferenceData.load(m, "ops/extra_ops.npz")) {
            NDList feats = new NDList();
            for (int l = 0; l < 4; l++) {
                NDArray f = ref.get("feat_" + l);
                f.setRequiresGradient(true);
                feats.add(f);
            }
            float[] boxes = ref.get("boxes").toFloatArray();
            long[] image = ref.get("box_batch_index").toType(DataType.INT64, false).toLongArray();
            List<float[]> perImage = new ArrayList<>();
            for (int b = 0; b < 2; b++) {
                List<Float> rows = new ArrayList<>();
                for (int i = 0; i < image.length; i++) {
                    if (image[i] == b) {
                        for (int j = 0; j < 4; j++) {
                            rows.add(boxes[4 * i + j]);
                        }
                    }
                }
                float[] a = new float[rows.size()];
                for (int i = 0; i < a.length; i++) {
                    a[i] = rows.get(i);
                }
                perImage.add(a);
            }
            MultiScaleRoIAlign pooler = new MultiScaleRoIAlign(7, 2, new int[] {4, 8, 16, 32});
            NDArray pooled;
            try (GradientCollector gc = Engine.getEngine(engine).newGradientCollector()) {
                pooled = pooler.apply(ops, feats, perImage);
                gc.backward(pooled.mul(extra.get("ms_g_")).sum());
            }
            NumericAssert.assertAbsClose(ref.get("pooled"), pooled, 1e-5, "pooled");
            for (int l = 0; l < 4; l++) {
                NumericAssert.assertAbsClose(extra.get("ms_dfeat_" + l), feats.get(l).getGradient(), 1e-5,
                        "d feat_" + l);
            }
            // empty input: (0, C, 7, 7)
            NDArray none = pooler.apply(ops, feats, Arrays.asList(new float[0], new float[0]));
            org.junit.jupiter.api.Assertions.assertArrayEquals(new long[] {0, 4, 7, 7}, none.getShape().getShape());
        }
    }
}
