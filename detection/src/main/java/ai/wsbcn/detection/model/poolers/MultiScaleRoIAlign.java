package ai.wsbcn.detection.model.poolers;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.wsbcn.detection.ops.DetectionOps;
import ai.wsbcn.detection.ops.Gather;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * torchvision's {@code MultiScaleRoIAlign}: each box is pooled from the FPN level its size maps to
 * ({@link LevelMapper}, levels log2(first stride) .. log2(last stride)) with RoIAlign (aligned=False), and the
 * results are returned in input order.
 */
public final class MultiScaleRoIAlign {

    private final int outputSize;
    private final int samplingRatio;
    private final int[] strides;
    private final LevelMapper mapper;

    /**
     * @param outputSize pooled side (7 for the box head, 14 for the mask head)
     * @param samplingRatio samples per bin side (2), <= 0 adaptive
     * @param featureStrides strides of the feature levels in order, consecutive powers of two (4, 8, 16, 32)
     */
    public MultiScaleRoIAlign(int outputSize, int samplingRatio, int[] featureStrides) {
        if (featureStrides.length == 0) {
            throw new IllegalArgumentException("MultiScaleRoIAlign needs at least one feature stride");
        }
        for (int i = 0; i < featureStrides.length; i++) {
            int s = featureStrides[i];
            if (Integer.bitCount(s) != 1 || (i > 0 && s != 2 * featureStrides[i - 1])) {
                throw new IllegalArgumentException("feature strides must be consecutive powers of two, got "
                        + Arrays.toString(featureStrides));
            }
        }
        this.outputSize = outputSize;
        this.samplingRatio = samplingRatio;
        this.strides = featureStrides.clone();
        int kMin = Integer.numberOfTrailingZeros(featureStrides[0]);
        this.mapper = new LevelMapper(kMin, kMin + featureStrides.length - 1);
    }

    public LevelMapper levelMapper() {
        return mapper;
    }

    /** The 0-based level (index into the features) of each box. */
    public int[] levelIndices(float[] boxes) {
        int[] k = mapper.levels(boxes);
        for (int i = 0; i < k.length; i++) {
            k[i] -= mapper.kMin();
        }
        return k;
    }

    /**
     * @param features the levels in stride order, each (N, C, H/s, W/s)
     * @param boxesPerImage boxes (x1,y1,x2,y2 rows, image pixels) of each image
     * @return (sum K_i, C, out, out), image 0's boxes first, differentiable w.r.t. the features
     */
    public NDArray apply(DetectionOps ops, NDList features, List<float[]> boxesPerImage) {
        if (features.size() != strides.length) {
            throw new IllegalArgumentException("MultiScaleRoIAlign: " + features.size() + " feature levels for "
                    + strides.length + " strides");
        }
        int total = 0;
        for (float[] b : boxesPerImage) {
            total += b.length / 4;
        }
        float[] all = new float[4 * total];
        int[] image = new int[total];
        int at = 0;
        for (int i = 0; i < boxesPerImage.size(); i++) {
            float[] b = boxesPerImage.get(i);
            System.arraycopy(b, 0, all, 4 * at, b.length);
            for (int j = 0; j < b.length / 4; j++) {
                image[at + j] = i;
            }
            at += b.length / 4;
        }
        NDArray first = features.get(0);
        NDManager m = first.getManager();
        long channels = first.getShape().get(1);
        if (total == 0) {
            return m.zeros(new Shape(0, channels, outputSize, outputSize), first.getDataType());
        }
        int[] level = levelIndices(all);
        List<NDArray> pooled = new ArrayList<>();
        int[] positionOf = new int[total]; // row of box i in the level-ordered concatenation
        int row = 0;
        for (int l = 0; l < strides.length; l++) {
            int count = 0;
            for (int lv : level) {
                count += lv == l ? 1 : 0;
            }
            if (count == 0) {
                continue;
            }
            float[] rois = new float[5 * count];
            int r = 0;
            for (int i = 0; i < total; i++) {
                if (level[i] == l) {
                    rois[5 * r] = image[i];
                    System.arraycopy(all, 4 * i, rois, 5 * r + 1, 4);
                    positionOf[i] = row + r;
                    r++;
                }
            }
            NDArray roiArray = m.create(rois, new Shape(count, 5));
            pooled.add(ops.roiAlign(features.get(l), roiArray, outputSize, outputSize, 1f / strides[l],
                    samplingRatio, false));
            row += count;
        }
        NDArray stacked = pooled.size() == 1 ? pooled.get(0) : NDArrays.concat(new NDList(pooled), 0);
        boolean identity = true;
        for (int i = 0; i < total && identity; i++) {
            identity = positionOf[i] == i;
        }
        return identity ? stacked : Gather.rows(stacked, positionOf);
    }
}
