package ai.wsbcn.detection.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.wsbcn.detection.data.synthetic.ShapeKind;
import ai.wsbcn.detection.data.synthetic.SyntheticImage;
import ai.wsbcn.detection.data.synthetic.SyntheticInstance;
import ai.wsbcn.detection.data.synthetic.SyntheticShapes;
import ai.wsbcn.detection.transforms.DetectionSample;
import ai.wsbcn.detection.transforms.DetectionTransform;
import ai.wsbcn.detection.transforms.ImageBatch;
import ai.wsbcn.detection.transforms.TargetInstances;
import ai.wsbcn.norm.testing.TestEngines;
import ai.wsbcn.norm.train.LrSchedule;
import ai.wsbcn.norm.train.MicroBatchTrainer;
import ai.wsbcn.norm.train.Sgd;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The full model at a tiny size (64x64 synthetic shapes, ResNet-18 of width 8, FPN 16 channels): one training
 * forward/backward per norm gives five finite losses and non-zero gradients in backbone, FPN, RPN, box and mask
 * heads; SGD on two fixed images lowers the loss (Mask R-CNN and Faster R-CNN); inference returns valid detections.
 */
class MaskRcnnTrainingTest {

    static final List<ShapeKind> KINDS = List.of(ShapeKind.CIRCLE, ShapeKind.SQUARE, ShapeKind.TRIANGLE);
    static final SyntheticShapes SHAPES = SyntheticShapes.builder().optImageSize(64, 64).optShapesPerImage(1, 3)
            .optRadiusRange(0.15, 0.35).optShapes(KINDS.toArray(new ShapeKind[0])).optSeed(5).build();

    static DetectorConfig tiny(String norm, boolean masks) {
        return DetectorConfig.builder().setArch("resnet18").setNorm(norm).setNumClasses(KINDS.size())
                .optMasks(masks).optWidth(8).optStemChannels(8).optFpnChannels(16).optHeadConvs(4, 16)
                .optRepresentationSize(32).optMaskConvs(4, 16).optMinSizes(64).optMaxSize(64)
                .optRpnTopN(300, 100, 100, 50).optBoxSampling(64, 0.25f).build();
    }

    /** A synthetic image as a detection sample (BGR to RGB, RLE masks to row-major bytes, label = kind + 1). */
    static DetectionSample sample(int index) {
        SyntheticImage im = SHAPES.render(SyntheticShapes.Split.TRAIN, index);
        int n = im.instances().size();
        float[] boxes = new float[4 * n];
        int[] labels = new int[n];
        byte[][] masks = new byte[n][];
        for (int k = 0; k < n; k++) {
            SyntheticInstance inst = im.instances().get(k);
            double[] xywh = inst.visibleMask().toBbox();
            boxes[4 * k] = (float) xywh[0];
            boxes[4 * k + 1] = (float) xywh[1];
            boxes[4 * k + 2] = (float) (xywh[0] + xywh[2]);
            boxes[4 * k + 3] = (float) (xywh[1] + xywh[3]);
            labels[k] = KINDS.indexOf(inst.kind()) + 1;
            masks[k] = inst.visibleMask().decodeRowMajor();
        }
        byte[] rgb = new byte[im.bgr().length];
        for (int p = 0; p < rgb.length; p += 3) {
            rgb[p] = im.bgr()[p + 2];
            rgb[p + 1] = im.bgr()[p + 1];
            rgb[p + 2] = im.bgr()[p];
        }
        return new DetectionSample(index, rgb, im.height(), im.width(),
                new TargetInstances(boxes, labels, masks, im.height(), im.width()));
    }

    static final String[] WITH_GRADIENT = {"backbone.body.layer4.0.conv1.weight", "backbone.body.layer2.0.conv1.weight",
        "backbone.fpn.inner_blocks.0.0.weight", "backbone.fpn.layer_blocks.3.0.weight", "rpn.head.conv.0.0.weight",
        "rpn.head.cls_logits.weight", "rpn.head.bbox_pred.weight", "roi_heads.box_head.0.0.weight",
        "roi_heads.box_head.5.weight", "roi_heads.box_predictor.cls_score.weight",
        "roi_heads.box_predictor.bbox_pred.weight", "roi_heads.mask_head.3.0.weight",
        "roi_heads.mask_predictor.conv5_mask.weight", "roi_heads.mask_predictor.mask_fcn_logits.weight"};

    @ParameterizedTest
    @ValueSource(strings = {"frozen-bn", "gn", "gn+ws", "bcn+ws"})
    void forwardBackwardOnMxnet(String norm) {
        forwardBackward(TestEngines.MXNET, norm);
    }

    @Test
    void forwardBackwardOnPyTorch() {
        forwardBackward(TestEngines.PYTORCH, "gn+ws");
    }

    private static void forwardBackward(String engine, String norm) {
        try (NDManager m = TestEngines.manager(engine)) {
            MaskRcnn model = MaskRcnn.build(tiny(norm, true));
            model.initialize(m, 64, 64);
            Map<String, Parameter> params = model.namedParameters();
            ParameterStore ps = new ParameterStore(m, false);
            Random random = new Random(1);
            DetectionTransform transform = model.transform();
            try (NDManager step = m.newSubManager()) {
                List<TargetInstances> targets = new ArrayList<>();
                ImageBatch batch = transform.batch(step, List.of(sample(0), sample(1)), random, targets);
                try (GradientCollector gc = m.getEngine().newGradientCollector()) {
                    Map<String, NDArray> losses = model.losses(ps, batch, targets, random);
                    assertEquals(List.of("loss_objectness", "loss_rpn_box_reg", "loss_classifier", "loss_box_reg",
                            "loss_mask"), new ArrayList<>(losses.keySet()));
                    for (Map.Entry<String, NDArray> e : losses.entrySet()) {
                        float v = e.getValue().getFloat();
                        assertTrue(Float.isFinite(v) && v >= 0, norm + " " + e.getKey() + " = " + v);
                    }
                    // at initialisation the classifier is uniform: ~log(K+1); objectness ~log 2
                    assertEquals(Math.log(4), losses.get("loss_classifier").getFloat(), 0.2, norm);
                    assertEquals(Math.log(2), losses.get("loss_objectness").getFloat(), 0.2, norm);
                    gc.backward(MaskRcnn.total(losses));
                }
            }
            for (String name : WITH_GRADIENT) {
                Parameter p = params.get(name);
                assertTrue(p != null, name + " missing: " + params.keySet());
                float g = p.getArray().getGradient().abs().sum().getFloat();
                assertTrue(g > 0 && Float.isFinite(g), norm + ": gradient of " + name + " = " + g);
            }
            if (norm.equals("frozen-bn")) {
                assertFalse(params.get("backbone.body.layer1.0.conv1.weight").requiresGradient());
                assertFalse(params.get("backbone.body.conv1.weight").requiresGradient());
            }
        }
    }

    /** An image without instances (allowed in COCO) trains as pure background: no box/mask loss, finite rest. */
    @Test
    void imageWithoutInstances() {
        try (NDManager m = NDManager.newBaseManager(TestEngines.PYTORCH)) {
            MaskRcnn model = MaskRcnn.build(tiny("gn", true));
            model.initialize(m, 64, 64);
            DetectionSample full = sample(0);
            DetectionSample empty = new DetectionSample(9, full.rgb(), 64, 64,
                    new TargetInstances(new float[0], new int[0], new byte[0][], 64, 64));
            List<TargetInstances> targets = new ArrayList<>();
            try (NDManager step = m.newSubManager()) {
                ImageBatch batch = model.transform().batch(step, List.of(empty, full), new Random(2), targets);
                try (GradientCollector gc = m.getEngine().newGradientCollector()) {
                    Map<String, NDArray> losses = model.losses(new ParameterStore(m, false), batch, targets,
                            new Random(2));
                    for (Map.Entry<String, NDArray> e : losses.entrySet()) {
                        assertTrue(Float.isFinite(e.getValue().getFloat()), e.getKey());
                    }
                    gc.backward(MaskRcnn.total(losses));
                }
                // the empty image alone: nothing positive anywhere
                targets.clear();
                ImageBatch alone = model.transform().batch(step, List.of(empty), new Random(2), targets);
                try (GradientCollector gc = m.getEngine().newGradientCollector()) {
                    Map<String, NDArray> losses = model.losses(new ParameterStore(m, false), alone, targets,
                            new Random(2));
                    assertEquals(0.0, losses.get("loss_rpn_box_reg").getFloat(), 0.0);
                    assertEquals(0.0, losses.get("loss_box_reg").getFloat(), 0.0);
                    assertEquals(0.0, losses.get("loss_mask").getFloat(), 0.0);
                    assertTrue(Float.isFinite(losses.get("loss_classifier").getFloat()));
                    gc.backward(MaskRcnn.total(losses));
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void sgdLowersTheLossAndDetects(boolean masks) {
        try (NDManager m = NDManager.newBaseManager(TestEngines.MXNET)) {
            MaskRcnn model = MaskRcnn.build(tiny("gn+ws", masks));
            model.initialize(m, 64, 64);
            int steps = 30;
            Sgd sgd = Sgd.builder().setSchedule(LrSchedule.step(0.02f, steps, 0.1f, 25).withWarmup(3, 0.3f))
                    .optMomentum(0.9f).optWeightDecay(1e-4f).build();
            MicroBatchTrainer trainer = MicroBatchTrainer.builder().setModel(model).setOptimizer(sgd).build();
            ParameterStore ps = new ParameterStore(m, false);
            List<DetectionSample> samples = List.of(sample(2), sample(3));
            DetectionTransform transform = DetectionTransform.builder().optMinSize(64).optMaxSize(64)
                    .optFlipProbability(0f).build();
            Random random = new Random(7);
            float[] loss = new float[steps];
            for (int s = 0; s < steps; s++) {
                try (NDManager step = m.newSubManager()) {
                    List<TargetInstances> targets = new ArrayList<>();
                    ImageBatch batch = transform.batch(step, samples, random, targets);
                    loss[s] = trainer.step(k -> MaskRcnn.total(model.losses(ps, batch, targets, random)));
                }
            }
            double first = IntStream.range(0, 3).mapToDouble(i -> loss[i]).average().orElseThrow();
            double last = IntStream.range(steps - 5, steps).mapToDouble(i -> loss[i]).average().orElseThrow();
            assertTrue(last < 0.6 * first, "loss " + first + " -> " + last + " " + java.util.Arrays.toString(loss));

            try (NDManager step = m.newSubManager()) {
                ImageBatch batch = transform.batch(step, samples, null, null);
                List<Detections> dets = model.detect(ps, batch);
                assertEquals(2, dets.size());
                for (Detections d : dets) {
                    assertTrue(d.size() <= 100);
                    for (int i = 0; i < d.size(); i++) {
                        assertTrue(d.scores()[i] > 0.05f && d.labels()[i] >= 1 && d.labels()[i] <= KINDS.size());
                        assertTrue(d.boxes()[4 * i] >= 0 && d.boxes()[4 * i + 2] <= 64 && d.boxes()[4 * i + 3] <= 64);
                        if (i > 0) {
                            assertTrue(d.scores()[i] <= d.scores()[i - 1]);
                        }
                    }
                    assertEquals(masks, d.maskProbs() != null);
                    if (masks) {
                        assertEquals(d.size(), d.maskProbs().length);
                    }
                }
                List<ImageDetections> out = Postprocess.toOriginal(dets, batch);
                assertEquals(64, out.get(0).height());
                if (masks && out.get(0).size() > 0) {
                    assertEquals(64 * 64, out.get(0).masks()[0].length);
                }
            }
        }
    }
}
