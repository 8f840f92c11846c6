package ai.wsbcn.detection.model.roi;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.wsbcn.detection.model.DetectorConfig;
import ai.wsbcn.detection.model.masks.MaskTargets;
import ai.wsbcn.detection.transforms.TargetInstances;
import ai.wsbcn.norm.BlockPaths;
import ai.wsbcn.norm.testing.TestEngines;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * RoI-head losses on a hand case. The predictors' weights are zeroed so that every RoI gets the logits / deltas /
 * mask logits of the biases, which are set by hand; the sampled RoIs, labels and regression targets are then known
 * and the cross-entropy, smooth L1 (beta 1/9, weights 10,10,5,5) and mask BCE are computed here in double.
 * Tolerance 1e-5 relative.
 */
class RoiHeadsLossTest {

    @ParameterizedTest
    @MethodSource("ai.wsbcn.norm.testing.TestEngines#names")
    void lossesMatchHandComputation(String engine) {
        int k1 = 3; // background + 2 classes
        DetectorConfig config = DetectorConfig.builder().setArch("resnet18").setNorm("frozen-bn").setNumClasses(2)
                .optFpnChannels(8).optHeadConvs(1, 8).optRepresentationSize(8).optMaskConvs(1, 8).build();
        try (NDManager m = TestEngines.manager(engine)) {
            RoiHeads heads = new RoiHeads(config, 8);
            heads.initialize(m, DataType.FLOAT32, new Shape(1, 8, 7, 7));
            Map<String, Parameter> p = BlockPaths.parameters(heads);
            float[] clsBias = {0.3f, -0.2f, 0.5f};
            float[] boxBias = new float[4 * k1];
            float[] d2 = {0.4f, -0.05f, 0.02f, 1.0f}; // class 2 deltas
            System.arraycopy(d2, 0, boxBias, 8, 4);
            float[] maskBias = {0f, 0.7f, -0.4f};
            set(p.get("box_predictor.cls_score.weight"), null);
            set(p.get("box_predictor.cls_score.bias"), clsBias);
            set(p.get("box_predictor.bbox_pred.weight"), null);
            set(p.get("box_predictor.bbox_pred.bias"), boxBias);
            set(p.get("mask_predictor.mask_fcn_logits.weight"), null);
            set(p.get("mask_predictor.mask_fcn_logits.bias"), maskBias);

            int h = 64;
            int w = 64;
            float[] gt = {12, 10, 32, 30};
            byte[] mask = new byte[h * w];
            for (int y = 12; y < 28; y++) {
                for (int x = 14; x < 30; x++) {
                    mask[y * w + x] = 1;
                }
            }
            TargetInstances target = new TargetInstances(gt, new int[] {2}, new byte[][] {mask}, h, w);
            // p0 overlaps gt with IoU 360/440 (positive), p1 is background; gt itself is appended (positive)
            float[] proposals = {10, 10, 30, 30, 40, 40, 50, 50};
            NDList features = new NDList(m.randomNormal(new Shape(1, 8, 16, 16)), m.randomNormal(new Shape(1, 8, 8, 8)),
                    m.randomNormal(new Shape(1, 8, 4, 4)), m.randomNormal(new Shape(1, 8, 2, 2)));
            RoiHeads.Sampled s = heads.sample(proposals, target, new Random(3));
            assertArrayEquals(new int[] {2, 0, 2}, s.labels());
            assertArrayEquals(new float[] {10, 10, 30, 30, 40, 40, 50, 50, 12, 10, 32, 30}, s.boxes());
            // p0 -> gt: dx = 10 * (22 - 20) / 20 = 1, others 0; gt -> gt: 0
            assertArrayEquals(new float[] {1, 0, 0, 0}, java.util.Arrays.copyOfRange(s.regressionTargets(), 0, 4),
                    1e-6f);

            Map<String, NDArray> losses;
            try (GradientCollector gc = m.getEngine().newGradientCollector()) {
                losses = heads.losses(new ParameterStore(m, false), features, List.of(proposals),
                        List.of(target), new Random(3));
                double lse = Math.log(Math.exp(0.3) + Math.exp(-0.2) + Math.exp(0.5));
                double ce = (2 * (lse - 0.5) + (lse - 0.3)) / 3;
                assertEquals(ce, losses.get("loss_classifier").getFloat(), 1e-5 * ce);
                double beta = 1.0 / 9;
                double box = 0;
                double[][] t = {{1, 0, 0, 0}, {0, 0, 0, 0}};
                for (double[] row : t) {
                    for (int c = 0; c < 4; c++) {
                        double x = Math.abs(d2[c] - row[c]);
                        box += x < beta ? 0.5 * x * x / beta : x - 0.5 * beta;
                    }
                }
                box /= 3;
                assertEquals(box, losses.get("loss_box_reg").getFloat(), 1e-5 * box);
                // constant logit x = -0.4 (class 2): mean BCE = softplus(x) - x * mean(target)
                double x = -0.4;
                float[] t0 = MaskTargets.project(mask, h, w, new float[] {10, 10, 30, 30}, 28);
                float[] t1 = MaskTargets.project(mask, h, w, gt, 28);
                double mean = 0;
                for (int i = 0; i < 784; i++) {
                    mean += t0[i] + t1[i];
                }
                mean /= 2 * 784;
                double bce = Math.log1p(Math.exp(x)) - x * mean;
                assertEquals(bce, losses.get("loss_mask").getFloat(), 1e-5 * bce);
            }
        }
    }

    private static void set(Parameter p, float[] values) {
        NDArray a = p.getArray();
        if (values == null) {
            a.muli(0);
        } else {
            a.set(java.nio.FloatBuffer.wrap(values));
        }
    }
}
