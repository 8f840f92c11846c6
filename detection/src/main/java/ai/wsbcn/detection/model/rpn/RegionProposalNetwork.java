package ai.wsbcn.detection.model.rpn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import ai.wsbcn.detection.box.BoxCoder;
import ai.wsbcn.detection.box.Boxes;
import ai.wsbcn.detection.box.Nms;
import ai.wsbcn.detection.model.DetectionLosses;
import ai.wsbcn.detection.model.DetectorConfig;
import ai.wsbcn.detection.model.anchors.AnchorGenerator;
import ai.wsbcn.detection.model.matcher.BalancedSampler;
import ai.wsbcn.detection.model.matcher.Matcher;
import ai.wsbcn.detection.transforms.TargetInstances;
import ai.wsbcn.util.ForwardScope;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * torchvision's {@code RegionProposalNetwork}: runs the {@link RpnHead} on P2..P6, decodes the deltas of each
 * level's top-N anchors (pre-NMS top-N per level and image), clips them to the image, drops boxes smaller than
 * 1e-3, applies NMS per level (batched NMS) and keeps the post-NMS top-N per image. In training it also matches all
 * anchors to the ground truth (IoU 0.7/0.3, low-quality matches allowed), samples 256 anchors per image (half
 * positive) and returns {@code loss_objectness} (binary cross-entropy, mean over the sampled anchors) and
 * {@code loss_rpn_box_reg} (smooth L1, beta 1/9, summed over the positives and divided by the number sampled).
 *
 * <p>Everything except the head and the losses is host geometry on {@code float[]}.
 */
public final class RegionProposalNetwork extends AbstractBlock {

    private static final byte VERSION = 1;
    /** torchvision's {@code min_size} of the proposal filter. */
    static final float MIN_SIZE = 1e-3f;

    private final RpnHead head;
    private final AnchorGenerator anchorGenerator;
    private final BoxCoder boxCoder = new BoxCoder(1f, 1f, 1f, 1f);
    private final Matcher matcher;
    private final BalancedSampler sampler;
    private final int preNmsTrain;
    private final int postNmsTrain;
    private final int preNmsTest;
    private final int postNmsTest;
    private final float nmsThresh;
    private final float scoreThresh;
    private final float beta;

    public RegionProposalNetwork(DetectorConfig config, int channels) {
        super(VERSION);
        this.anchorGenerator = new AnchorGenerator(config.anchorSizes(), config.aspectRatios());
        this.head = addChildBlock("head", new RpnHead(channels, anchorGenerator.anchorsPerLocation()));
        this.matcher = new Matcher(config.rpnFgIouThresh(), config.rpnBgIouThresh(), true);
        this.sampler = new BalancedSampler(config.rpnBatchSizePerImage(), config.rpnPositiveFraction());
        this.preNmsTrain = config.rpnPreNmsTopN(true);
        this.postNmsTrain = config.rpnPostNmsTopN(true);
        this.preNmsTest = config.rpnPreNmsTopN(false);
        this.postNmsTest = config.rpnPostNmsTopN(false);
        this.nmsThresh = config.rpnNmsThresh();
        this.scoreThresh = config.rpnScoreThresh();
        this.beta = config.smoothL1Beta();
    }

    public RpnHead head() {
        return head;
    }

    public AnchorGenerator anchorGenerator() {
        return anchorGenerator;
    }

    /** Proposals (and in training the RPN losses) of a batch. */
    public record Output(List<float[]> proposals, List<float[]> scores, Map<String, NDArray> losses) {}

    /**
     * Runs the RPN.
     *
     * @param features P2..P6 {@code (N, C, H_l, W_l)}
     * @param paddedHeight the padded batch height (anchor strides are {@code padded / feature} size)
     * @param imageHeights per image the valid (resized) height, for clipping
     * @param targets per image ground truth in the resized frame; required when {@code training}
     * @param random the sampler's randomness (training)
     */
    public Output forward(ParameterStore ps, NDList features, int paddedHeight, int paddedWidth, int[] imageHeights,
            int[] imageWidths, List<TargetInstances> targets, boolean training, Random random) {
        int levels = features.size();
        int n = (int) features.get(0).getShape().get(0);
        NDList out = head.forward(ps, features, training);

        // Anchors per level (same for every image of the batch), in (y, x, anchor) order.
        float[][] levelAnchors = new float[levels][];
        int[] counts = new int[levels];
        for (int l = 0; l < levels; l++) {
            Shape s = features.get(l).getShape();
            int fh = (int) s.get(2);
            int fw = (int) s.get(3);
            levelAnchors[l] = anchorGenerator.anchors(l, fh, fw, paddedHeight / fh, paddedWidth / fw);
            counts[l] = levelAnchors[l].length / 4;
        }
        // Objectness and deltas of every image, in anchor order, on the host.
        float[][][] logits = new float[levels][][];
        float[][][] deltas = new float[levels][][];
        for (int l = 0; l < levels; l++) {
            logits[l] = hostLogits(out.get(l), n);
            deltas[l] = hostDeltas(out.get(levels + l), n);
        }
        int pre = training ? preNmsTrain : preNmsTest;
        int post = training ? postNmsTrain : postNmsTest;
        List<float[]> proposals = new ArrayList<>();
        List<float[]> scores = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            float[][] li = new float[levels][];
            float[][] di = new float[levels][];
            for (int l = 0; l < levels; l++) {
                li[l] = logits[l][i];
                di[l] = deltas[l][i];
            }
            float[][] kept = filterProposals(li, di, levelAnchors, imageHeights[i], imageWidths[i], pre, post);
            proposals.add(kept[0]);
            scores.add(kept[1]);
        }
        Map<String, NDArray> losses = new LinkedHashMap<>();
        if (training) {
            if (targets == null || targets.size() != n) {
                throw new IllegalArgumentException("training the RPN needs one target per image");
            }
            losses.putAll(losses(out, levels, n, levelAnchors, counts, targets, random));
        }
        // the head's maps are not returned (the losses are): autograd keeps what it needs (ForwardScope)
        for (NDArray a : out) {
            ForwardScope.closeIfOwned(a);
        }
        return new Output(proposals, scores, losses);
    }

    /**
     * torchvision's {@code filter_proposals} for one image: per level the top {@code pre} anchors by objectness,
     * decoded, clipped, small ones removed, score threshold, NMS per level, top {@code post} overall.
     *
     * @return {@code {boxes (k*4), scores (k, sigmoid)}}
     */
    public float[][] filterProposals(float[][] logitsPerLevel, float[][] deltasPerLevel, float[][] anchorsPerLevel,
            int imageHeight, int imageWidth, int pre, int post) {
        int levels = logitsPerLevel.length;
        List<float[]> boxesL = new ArrayList<>();
        List<float[]> scoresL = new ArrayList<>();
        List<Integer> levelOf = new ArrayList<>();
        int total = 0;
        for (int l = 0; l < levels; l++) {
            int[] top = topK(logitsPerLevel[l], pre);
            float[] d = Boxes.select(deltasPerLevel[l], top);
            float[] a = Boxes.select(anchorsPerLevel[l], top);
            float[] b = boxCoder.decode(d, a);
            float[] s = new float[top.length];
            for (int k = 0; k < top.length; k++) {
                s[k] = sigmoid(logitsPerLevel[l][top[k]]);
            }
            boxesL.add(b);
            scoresL.add(s);
            levelOf.add(top.length);
            total += top.length;
        }
        float[] boxes = new float[total * 4];
        float[] scores = new float[total];
        int[] lvl = new int[total];
        int o = 0;
        for (int l = 0; l < levels; l++) {
            int c = levelOf.get(l);
            System.arraycopy(boxesL.get(l), 0, boxes, o * 4, c * 4);
            System.arraycopy(scoresL.get(l), 0, scores, o, c);
            Arrays.fill(lvl, o, o + c, l);
            o += c;
        }
        boxes = Boxes.clip(boxes, imageHeight, imageWidth);
        int[] keep = Boxes.removeSmall(boxes, MIN_SIZE);
        if (scoreThresh > 0) {
            keep = Arrays.stream(keep).filter(k -> scores[k] >= scoreThresh).toArray();
        }
        boxes = Boxes.select(boxes, keep);
        float[] s2 = selectScalars(scores, keep);
        int[] l2 = new int[keep.length];
        for (int k = 0; k < keep.length; k++) {
            l2[k] = lvl[keep[k]];
        }
        int[] nmsKeep = Nms.batchedNms(boxes, s2, l2, nmsThresh);
        if (nmsKeep.length > post) {
            nmsKeep = Arrays.copyOf(nmsKeep, post);
        }
        return new float[][] {Boxes.select(boxes, nmsKeep), selectScalars(s2, nmsKeep)};
    }

    private Map<String, NDArray> losses(NDList out, int levels, int n, float[][] levelAnchors, int[] counts,
            List<TargetInstances> targets, Random random) {
        int total = Arrays.stream(counts).sum();
        float[] anchors = new float[total * 4];
        int o = 0;
        for (int l = 0; l < levels; l++) {
            System.arraycopy(levelAnchors[l], 0, anchors, o * 4, counts[l] * 4);
            o += counts[l];
        }
        float[] objTarget = new float[n * total];
        float[] objWeight = new float[n * total];
        float[] boxTarget = new float[n * total * 4];
        float[] boxMask = new float[n * total * 4];
        int sampled = 0;
        for (int i = 0; i < n; i++) {
            TargetInstances t = targets.get(i);
            int[] labels = new int[total];
            int[] matched = null;
            if (t.size() > 0) {
                float[] iou = Boxes.iou(t.boxes(), anchors);
                matched = matcher.match(iou, t.size(), total);
                for (int a = 0; a < total; a++) {
                    labels[a] = matched[a] >= 0 ? 1 : matched[a] == Matcher.BETWEEN ? -1 : 0;
                }
            }
            BalancedSampler.Sample sample = sampler.sample(labels, random);
            int base = i * total;
            for (int a : sample.negatives()) {
                objWeight[base + a] = 1f;
            }
            int[] pos = sample.positives();
            for (int a : pos) {
                objWeight[base + a] = 1f;
                objTarget[base + a] = 1f;
            }
            sampled += pos.length + sample.negatives().length;
            if (pos.length > 0) {
                float[] gt = new float[pos.length * 4];
                for (int k = 0; k < pos.length; k++) {
                    System.arraycopy(t.boxes(), matched[pos[k]] * 4, gt, k * 4, 4);
                }
                float[] enc = boxCoder.encode(Boxes.select(anchors, pos), gt);
                for (int k = 0; k < pos.length; k++) {
                    int dst = (base + pos[k]) * 4;
                    System.arraycopy(enc, k * 4, boxTarget, dst, 4);
                    Arrays.fill(boxMask, dst, dst + 4, 1f);
                }
            }
        }
        NDArray[] lg = new NDArray[levels];
        NDArray[] dl = new NDArray[levels];
        for (int l = 0; l < levels; l++) {
            lg[l] = flattenLogits(out.get(l), n);
            dl[l] = flattenDeltas(out.get(levels + l), n);
        }
        NDArray logits = levels == 1 ? lg[0] : NDArrays.concat(new NDList(lg), 1);
        NDArray deltas = levels == 1 ? dl[0] : NDArrays.concat(new NDList(dl), 1);
        NDManager m = logits.getManager();
        float norm = Math.max(1, sampled);
        NDArray lossObj = DetectionLosses.weightedBce(logits, m.create(objTarget, new Shape(n, total)),
                m.create(objWeight, new Shape(n, total)), norm);
        NDArray lossBox = DetectionLosses.maskedSmoothL1(deltas, m.create(boxTarget, new Shape(n, total, 4)),
                m.create(boxMask, new Shape(n, total, 4)), beta, norm);
        Map<String, NDArray> losses = new LinkedHashMap<>();
        losses.put("loss_objectness", lossObj);
        losses.put("loss_rpn_box_reg", lossBox);
        return losses;
    }

    /** (N, A, H, W) logits to (N, H*W*A) in anchor order. */
    static NDArray flattenLogits(NDArray x, int n) {
        return x.transpose(0, 2, 3, 1).reshape(n, -1);
    }

    /** (N, 4A, H, W) deltas to (N, H*W*A, 4) in anchor order (torchvision's permute_and_flatten). */
    static NDArray flattenDeltas(NDArray x, int n) {
        Shape s = x.getShape();
        long a = s.get(1) / 4;
        return x.reshape(n, a, 4, s.get(2), s.get(3)).transpose(0, 3, 4, 1, 2).reshape(n, -1, 4);
    }

    /** Per image, the logits of (N, A, H, W) in (y, x, anchor) order. */
    static float[][] hostLogits(NDArray x, int n) {
        Shape s = x.getShape();
        int a = (int) s.get(1);
        int h = (int) s.get(2);
        int w = (int) s.get(3);
        float[] v = x.toFloatArray();
        float[][] out = new float[n][h * w * a];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < a; k++) {
                for (int p = 0; p < h * w; p++) {
                    out[i][p * a + k] = v[(i * a + k) * h * w + p];
                }
            }
        }
        return out;
    }

    /** Per image, the deltas of (N, 4A, H, W) as (H*W*A)*4 in anchor order. */
    static float[][] hostDeltas(NDArray x, int n) {
        Shape s = x.getShape();
        int a = (int) s.get(1) / 4;
        int h = (int) s.get(2);
        int w = (int) s.get(3);
        float[] v = x.toFloatArray();
        float[][] out = new float[n][h * w * a * 4];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < a; k++) {
                for (int c = 0; c < 4; c++) {
                    int src = ((i * a + k) * 4 + c) * h * w;
                    for (int p = 0; p < h * w; p++) {
                        out[i][(p * a + k) * 4 + c] = v[src + p];
                    }
                }
            }
        }
        return out;
    }

    /**
     * Indices of the {@code k} largest values, descending (ties by index), like {@code topk(sorted=True)}. Sorts
     * primitive keys (order-reversed float bits in the high word, index in the low word): P2 of an 800x1333 image
     * has 200k anchors.
     */
    static int[] topK(float[] values, int k) {
        int n = values.length;
        k = Math.min(k, n);
        long[] keys = new long[n];
        for (int i = 0; i < n; i++) {
            int bits = Float.floatToIntBits(values[i]);
            // map to an int that orders like the float, then reverse it for a descending sort
            int ordered = bits >= 0 ? bits : bits ^ 0x7fffffff;
            keys[i] = ((long) ~ordered << 32) | (i & 0xffffffffL);
        }
        Arrays.sort(keys);
        int[] out = new int[k];
        for (int i = 0; i < k; i++) {
            out[i] = (int) keys[i];
        }
        return out;
    }

    static float sigmoid(float x) {
        return (float) (1.0 / (1.0 + Math.exp(-x)));
    }

    static float[] selectScalars(float[] v, int[] idx) {
        float[] out = new float[idx.length];
        for (int i = 0; i < idx.length; i++) {
            out[i] = v[idx[i]];
        }
        return out;
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
            PairList<String, Object> params) {
        // The RPN needs image sizes and targets: use forward(ps, features, ...) above. This runs the head only.
        return head.forward(ps, inputs, training);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return head.getOutputShapes(inputShapes);
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        head.initialize(manager, dataType, inputShapes);
    }
}
