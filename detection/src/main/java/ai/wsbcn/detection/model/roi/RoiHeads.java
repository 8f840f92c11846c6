package ai.wsbcn.detection.model.roi;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import ai.wsbcn.detection.box.BoxCoder;
import ai.wsbcn.detection.box.Boxes;
import ai.wsbcn.detection.box.Nms;
import ai.wsbcn.detection.model.DetectionLosses;
import ai.wsbcn.detection.model.Detections;
import ai.wsbcn.detection.model.DetectorConfig;
import ai.wsbcn.detection.model.masks.MaskTargets;
import ai.wsbcn.detection.model.matcher.BalancedSampler;
import ai.wsbcn.detection.model.matcher.Matcher;
import ai.wsbcn.detection.model.poolers.MultiScaleRoIAlign;
import ai.wsbcn.detection.ops.DetectionOps;
import ai.wsbcn.detection.transforms.TargetInstances;
import ai.wsbcn.norm.NormSpec;
import ai.wsbcn.util.ForwardScope;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * torchvision's {@code RoIHeads} for boxes and masks. Training: ground-truth boxes are appended to each image's
 * proposals, proposals are matched (IoU 0.5, no low-quality matches) and 512 per image sampled with 25% positives;
 * RoIAlign 7x7 (sampling ratio 2) on P2..P5, the box head and predictor give {@code loss_classifier} (cross-entropy
 * over the sampled RoIs) and {@code loss_box_reg} (smooth L1 with beta 1/9 on the true class's deltas, encoded with
 * weights (10,10,5,5), summed over positives, divided by the number of sampled RoIs); the positives go through
 * RoIAlign 14x14, the mask head and predictor for {@code loss_mask} (binary cross-entropy of the true class's 28x28
 * logits against the ground-truth mask RoIAligned into the proposal). Inference: softmax scores, class-specific
 * decoding, clip, score > 0.05, remove boxes < 1e-2, per-class NMS 0.5, top 100, then masks of the kept boxes.
 */
public final class RoiHeads extends AbstractBlock {

    private static final byte VERSION = 1;
    static final int[] STRIDES = {4, 8, 16, 32};

    private final DetectorConfig config;
    private final int classes;
    private final int channels;
    private final SequentialBlock boxHead;
    private final FastRcnnPredictor boxPredictor;
    private final SequentialBlock maskHead;
    private final MaskRcnnPredictor maskPredictor;
    private final MultiScaleRoIAlign boxPool;
    private final MultiScaleRoIAlign maskPool;
    private final BoxCoder boxCoder;
    private final Matcher matcher;
    private final BalancedSampler sampler;

    public RoiHeads(DetectorConfig config, int channels) {
        super(VERSION);
        this.config = config;
        this.classes = config.numClasses() + 1;
        this.channels = channels;
        NormSpec spec = config.norm();
        this.boxHead = addChildBlock("box_head", BoxHeads.convFc(spec, config.headConvs(), config.headChannels(),
                config.headConvs() == 0 ? 2 : 1, config.representationSize()));
        this.boxPredictor = addChildBlock("box_predictor", new FastRcnnPredictor(classes));
        if (config.masks()) {
            this.maskHead = addChildBlock("mask_head", BoxHeads.maskHead(spec, config.maskConvs(),
                    config.maskChannels()));
            int maskOut = config.maskConvs() == 0 ? channels : config.maskChannels();
            this.maskPredictor = addChildBlock("mask_predictor", new MaskRcnnPredictor(maskOut, classes));
            this.maskPool = new MultiScaleRoIAlign(config.maskPoolSize(), config.samplingRatio(), STRIDES);
        } else {
            this.maskHead = null;
            this.maskPredictor = null;
            this.maskPool = null;
        }
        this.boxPool = new MultiScaleRoIAlign(config.boxPoolSize(), config.samplingRatio(), STRIDES);
        float[] w = config.boxRegWeights();
        this.boxCoder = new BoxCoder(w[0], w[1], w[2], w[3]);
        this.matcher = new Matcher(config.boxFgIouThresh(), config.boxBgIouThresh(), false);
        this.sampler = new BalancedSampler(config.boxBatchSizePerImage(), config.boxPositiveFraction());
    }

    public boolean hasMasks() {
        return maskHead != null;
    }

    /** The RoIs sampled for training one image: boxes, class labels (0 background), matched gt index, deltas. */
    public record Sampled(float[] boxes, int[] labels, int[] matchedGt, float[] regressionTargets) {
        public int size() {
            return labels.length;
        }
    }

    /**
     * torchvision's {@code select_training_samples} for one image: gt appended to the proposals, matched, sampled
     * (indices in increasing order, as {@code torch.where(pos | neg)}), regression targets encoded.
     */
    public Sampled sample(float[] proposals, TargetInstances target, Random random) {
        float[] gt = target.boxes();
        int numGt = target.size();
        float[] all = Arrays.copyOf(proposals, proposals.length + gt.length);
        System.arraycopy(gt, 0, all, proposals.length, gt.length);
        int n = all.length / 4;
        int[] labels = new int[n];
        int[] matched = new int[n];
        if (numGt > 0) {
            int[] m = matcher.match(Boxes.iou(gt, all), numGt, n);
            for (int k = 0; k < n; k++) {
                int g = Math.max(m[k], 0);
                matched[k] = g;
                labels[k] = m[k] == Matcher.BELOW_LOW ? 0 : m[k] == Matcher.BETWEEN ? -1 : target.labels()[g];
            }
        }
        BalancedSampler.Sample s = sampler.sample(labels, random);
        boolean[] take = new boolean[n];
        for (int k : s.positives()) {
            take[k] = true;
        }
        for (int k : s.negatives()) {
            take[k] = true;
        }
        int count = 0;
        for (boolean b : take) {
            count += b ? 1 : 0;
        }
        int[] idx = new int[count];
        int c = 0;
        for (int k = 0; k < n; k++) {
            if (take[k]) {
                idx[c++] = k;
            }
        }
        float[] boxes = Boxes.select(all, idx);
        int[] lab = new int[count];
        int[] mat = new int[count];
        float[] matchedBoxes = new float[count * 4];
        for (int k = 0; k < count; k++) {
            lab[k] = labels[idx[k]];
            mat[k] = matched[idx[k]];
            if (numGt > 0) {
                System.arraycopy(gt, mat[k] * 4, matchedBoxes, k * 4, 4);
            }
        }
        float[] targets = count == 0 ? new float[0] : boxCoder.encode(boxes, matchedBoxes);
        return new Sampled(boxes, lab, mat, targets);
    }

    /**
     * Training losses. {@code features} are P2..P5 (P6 is not pooled), {@code proposals} per image in the resized
     * frame, {@code targets} per image in the same frame (with masks for Mask R-CNN).
     */
    public Map<String, NDArray> losses(ParameterStore ps, NDList features, List<float[]> proposals,
            List<TargetInstances> targets, Random random) {
        int n = proposals.size();
        List<Sampled> samples = new ArrayList<>(n);
        List<float[]> boxesPerImage = new ArrayList<>(n);
        int total = 0;
        for (int i = 0; i < n; i++) {
            Sampled s = sample(proposals.get(i), targets.get(i), random);
            samples.add(s);
            boxesPerImage.add(s.boxes());
            total += s.size();
        }
        DetectionOps ops = DetectionOps.forManager(features.get(0).getManager());
        NDList pred = boxBranch(ps, ops, features, boxesPerImage, true);
        NDArray logits = pred.get(0);
        NDArray deltas = pred.get(1);
        NDManager m = logits.getManager();

        float[] oneHot = new float[total * classes];
        float[] boxTarget = new float[total * classes * 4];
        float[] boxMask = new float[total * classes * 4];
        int r = 0;
        for (Sampled s : samples) {
            for (int k = 0; k < s.size(); k++, r++) {
                int label = s.labels()[k];
                oneHot[r * classes + label] = 1f;
                if (label > 0) {
                    int dst = (r * classes + label) * 4;
                    System.arraycopy(s.regressionTargets(), k * 4, boxTarget, dst, 4);
                    Arrays.fill(boxMask, dst, dst + 4, 1f);
                }
            }
        }
        Map<String, NDArray> losses = new LinkedHashMap<>();
        losses.put("loss_classifier", DetectionLosses.crossEntropy(logits,
                m.create(oneHot, new Shape(total, classes))));
        losses.put("loss_box_reg", DetectionLosses.maskedSmoothL1(deltas,
                m.create(boxTarget, new Shape(total, 4L * classes)), m.create(boxMask, new Shape(total,
                        4L * classes)), config.smoothL1Beta(), Math.max(1, total)));
        if (hasMasks()) {
            losses.put("loss_mask", maskLoss(ps, ops, features, samples, targets, logits));
        }
        return losses;
    }

    private NDArray maskLoss(ParameterStore ps, DetectionOps ops, NDList features, List<Sampled> samples,
            List<TargetInstances> targets, NDArray anyGraphArray) {
        int m = 2 * config.maskPoolSize();
        List<float[]> positives = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        List<float[]> maskTargets = new ArrayList<>();
        int count = 0;
        for (int i = 0; i < samples.size(); i++) {
            Sampled s = samples.get(i);
            TargetInstances t = targets.get(i);
            if (t.size() > 0 && t.masks() == null) {
                throw new IllegalArgumentException("Mask R-CNN training needs masks in the targets of image " + i);
            }
            int pos = 0;
            for (int label : s.labels()) {
                pos += label > 0 ? 1 : 0;
            }
            float[] boxes = new float[pos * 4];
            int c = 0;
            for (int k = 0; k < s.size(); k++) {
                if (s.labels()[k] > 0) {
                    System.arraycopy(s.boxes(), k * 4, boxes, c * 4, 4);
                    c++;
                    labels.add(s.labels()[k]);
                    float[] box = Arrays.copyOfRange(s.boxes(), k * 4, k * 4 + 4);
                    maskTargets.add(MaskTargets.project(t.masks()[s.matchedGt()[k]], t.height(), t.width(), box, m));
                }
            }
            positives.add(boxes);
            count += pos;
        }
        if (count == 0) {
            // torchvision: mask_logits.sum() * 0 — a zero that still belongs to the graph
            return anyGraphArray.sum().mul(DetectionLosses.constant(anyGraphArray, 0f));
        }
        NDArray logits = maskBranch(ps, ops, features, positives, true); // (P, K+1, M, M)
        NDManager manager = logits.getManager();
        float[] select = new float[count * classes];
        float[] target = new float[count * m * m];
        for (int k = 0; k < count; k++) {
            select[k * classes + labels.get(k)] = 1f;
            System.arraycopy(maskTargets.get(k), 0, target, k * m * m, m * m);
        }
        NDArray chosen = logits.mul(manager.create(select, new Shape(count, classes, 1, 1))).sum(new int[] {1});
        NDArray bce = DetectionLosses.bceWithLogits(chosen, manager.create(target, new Shape(count, m, m)));
        return bce.mean();
    }

    /**
     * Inference for a batch: per image the detections (boxes in the resized image's pixels, clipped to
     * {@code heights[i] x widths[i]}) and, with masks, the 28x28 mask probabilities of each detection's class.
     */
    public List<Detections> detect(ParameterStore ps, NDList features, List<float[]> proposals, int[] heights,
            int[] widths) {
        int n = proposals.size();
        DetectionOps ops = DetectionOps.forManager(features.get(0).getManager());
        List<Detections> out = new ArrayList<>(n);
        int total = proposals.stream().mapToInt(p -> p.length / 4).sum();
        if (total == 0) {
            for (int i = 0; i < n; i++) {
                out.add(empty());
            }
            return out;
        }
        NDList pred = boxBranch(ps, ops, features, proposals, false);
        float[] probs = pred.get(0).softmax(1).toFloatArray();
        float[] deltas = pred.get(1).toFloatArray();
        int offset = 0;
        List<float[]> keptBoxes = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            float[] p = proposals.get(i);
            int k = p.length / 4;
            Detections d = postprocess(Arrays.copyOfRange(probs, offset * classes, (offset + k) * classes),
                    Arrays.copyOfRange(deltas, offset * classes * 4, (offset + k) * classes * 4), p, heights[i],
                    widths[i]);
            out.add(d);
            keptBoxes.add(d.boxes());
            offset += k;
        }
        if (!hasMasks()) {
            return out;
        }
        int detected = keptBoxes.stream().mapToInt(b -> b.length / 4).sum();
        if (detected == 0) {
            List<Detections> withMasks = new ArrayList<>();
            for (Detections d : out) {
                withMasks.add(new Detections(d.boxes(), d.scores(), d.labels(), new float[0][]));
            }
            return withMasks;
        }
        NDArray logits = maskBranch(ps, ops, features, keptBoxes, false);
        int mm = (int) (logits.getShape().get(2) * logits.getShape().get(3));
        float[] maskProbs = ai.djl.nn.Activation.sigmoid(logits).toFloatArray();
        List<Detections> withMasks = new ArrayList<>(n);
        int row = 0;
        for (Detections d : out) {
            float[][] masks = new float[d.size()][];
            for (int k = 0; k < d.size(); k++, row++) {
                int start = (row * classes + d.labels()[k]) * mm;
                masks[k] = Arrays.copyOfRange(maskProbs, start, start + mm);
            }
            withMasks.add(new Detections(d.boxes(), d.scores(), d.labels(), masks));
        }
        return withMasks;
    }

    /** RoIAlign 7x7 of the boxes, box head and predictor: [class logits, box deltas]. */
    private NDList boxBranch(ParameterStore ps, DetectionOps ops, NDList features, List<float[]> boxes,
            boolean training) {
        return branch(boxPool, boxHead, boxPredictor, ps, ops, features, boxes, training);
    }

    /** RoIAlign 14x14 of the boxes, mask head and predictor: the (P, K+1, M, M) mask logits. */
    private NDArray maskBranch(ParameterStore ps, DetectionOps ops, NDList features, List<float[]> boxes,
            boolean training) {
        return branch(maskPool, maskHead, maskPredictor, ps, ops, features, boxes, training).singletonOrThrow();
    }

    /**
     * Pooling, head and predictor in one scope ({@link ForwardScope}), each head layer in its own, so the pooling's
     * and the head's temporaries do not outlive the branch (autograd keeps what backward needs).
     */
    private static NDList branch(MultiScaleRoIAlign pool, SequentialBlock head, Block predictor, ParameterStore ps,
            DetectionOps ops, NDList features, List<float[]> boxes, boolean training) {
        return ForwardScope.run(features, in -> {
            NDArray pooled = pool.apply(ops, in, boxes);
            NDList x = ForwardScope.sequential(head, ps, new NDList(pooled), training);
            return predictor.forward(ps, x, training);
        });
    }

    private Detections empty() {
        return new Detections(new float[0], new float[0], new int[0], hasMasks() ? new float[0][] : null);
    }

    /**
     * torchvision's {@code postprocess_detections} for one image: {@code probs} (k, K+1) softmax scores,
     * {@code deltas} (k, 4(K+1)), proposals (k*4).
     */
    public Detections postprocess(float[] probs, float[] deltas, float[] proposals, int height, int width) {
        int k = proposals.length / 4;
        int fg = classes - 1;
        // Decode every class's deltas against its proposal: row (r, c) uses proposal r.
        float[] reference = new float[k * classes * 4];
        for (int r = 0; r < k; r++) {
            for (int c = 0; c < classes; c++) {
                System.arraycopy(proposals, r * 4, reference, (r * classes + c) * 4, 4);
            }
        }
        float[] decoded = Boxes.clip(boxCoder.decode(deltas, reference), height, width);
        // Candidates in torchvision's order: row-major over (proposal, class 1..K).
        float[] candBoxes = new float[k * fg * 4];
        float[] candScores = new float[k * fg];
        int[] candLabels = new int[k * fg];
        int c0 = 0;
        for (int r = 0; r < k; r++) {
            for (int c = 1; c < classes; c++) {
                float s = probs[r * classes + c];
                if (s > config.boxScoreThresh()) {
                    System.arraycopy(decoded, (r * classes + c) * 4, candBoxes, c0 * 4, 4);
                    candScores[c0] = s;
                    candLabels[c0] = c;
                    c0++;
                }
            }
        }
        candBoxes = Arrays.copyOf(candBoxes, c0 * 4);
        candScores = Arrays.copyOf(candScores, c0);
        candLabels = Arrays.copyOf(candLabels, c0);
        int[] keep = Boxes.removeSmall(candBoxes, 1e-2f);
        float[] b = Boxes.select(candBoxes, keep);
        float[] s = new float[keep.length];
        int[] l = new int[keep.length];
        for (int i = 0; i < keep.length; i++) {
            s[i] = candScores[keep[i]];
            l[i] = candLabels[keep[i]];
        }
        int[] nms = Nms.batchedNms(b, s, l, config.boxNmsThresh());
        if (nms.length > config.detectionsPerImage()) {
            nms = Arrays.copyOf(nms, config.detectionsPerImage());
        }
        float[] fs = new float[nms.length];
        int[] fl = new int[nms.length];
        for (int i = 0; i < nms.length; i++) {
            fs[i] = s[nms[i]];
            fl[i] = l[nms[i]];
        }
        return new Detections(Boxes.select(b, nms), fs, fl, null);
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
            PairList<String, Object> params) {
        // RoI heads need proposals and targets: use losses(...) / detect(...). This maps pooled box features
        // (R, C, 7, 7) to [class logits, box deltas].
        return boxPredictor.forward(ps, boxHead.forward(ps, inputs, training), training);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return boxPredictor.getOutputShapes(boxHead.getOutputShapes(inputShapes));
    }

    /** Initialises the heads for RoI batches of {@code (1, channels, pool, pool)}; the input shapes are ignored. */
    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape box = new Shape(1, channels, config.boxPoolSize(), config.boxPoolSize());
        boxHead.initialize(manager, dataType, box);
        boxPredictor.initialize(manager, dataType, boxHead.getOutputShapes(new Shape[] {box}));
        if (hasMasks()) {
            Shape mask = new Shape(1, channels, config.maskPoolSize(), config.maskPoolSize());
            maskHead.initialize(manager, dataType, mask);
            Block head = maskHead;
            maskPredictor.initialize(manager, dataType, head.getOutputShapes(new Shape[] {mask}));
        }
    }
}
