package ai.wsbcn.detection.ops;

import ai.djl.mxnet.engine.MxNDManager;
import ai.djl.mxnet.engine.MxOpParams;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.wsbcn.detection.box.Nms;

/**
 * MXNet's native {@code ROIAlign} operator (forward and backward in C++, torchvision semantics including
 * {@code aligned} and adaptive sampling), for features on an MXNet manager. NMS runs on the host ({@link Nms}):
 * the keep lists must equal torchvision's exactly, the boxes already live on the host, and MXNet's {@code box_nms}
 * compares IoU against a float threshold, so it keeps a box torchvision suppresses when IoU rounds to exactly the
 * threshold (IoU 30/100 at 0.3).
 */
public final class MxDetectionOps implements DetectionOps {

    private static final PortableDetectionOps PORTABLE = new PortableDetectionOps();

    @Override
    public NDArray roiAlign(NDArray features, NDArray rois, int outH, int outW, float spatialScale,
                            int samplingRatio, boolean aligned) {
        Shape fs = features.getShape();
        long k = rois.getShape().get(0);
        if (k == 0) {
            return features.getManager().zeros(new Shape(0, fs.get(1), outH, outW), features.getDataType());
        }
        float[] host = rois.toType(DataType.FLOAT32, false).toFloatArray();
        for (int i = 0; i < k; i++) {
            int b = (int) host[5 * i];
            if (b < 0 || b >= fs.get(0)) {
                throw new IllegalArgumentException("roiAlign: roi " + i + " has batch index " + host[5 * i]
                        + " outside [0, " + fs.get(0) + ")");
            }
        }
        if (needsPortable(host, spatialScale, aligned)) {
            return PORTABLE.roiAlign(features, rois, outH, outW, spatialScale, samplingRatio, aligned);
        }
        MxOpParams params = new MxOpParams();
        params.addTupleParam("pooled_size", outH, outW);
        params.addParam("spatial_scale", spatialScale);
        params.addParam("sample_ratio", samplingRatio > 0 ? samplingRatio : -1);
        params.addParam("aligned", aligned);
        NDArray r = rois.getDataType() == features.getDataType() ? rois : rois.toType(features.getDataType(), false);
        MxNDManager m = (MxNDManager) features.getManager();
        return m.invoke("ROIAlign", new NDList(features, r), params).head();
    }

    /**
     * MXNet's kernel aborts the whole process (CHECK_GT(roi_width, 0)) on an empty aligned RoI, where torchvision
     * samples the point, and casts NaN sample coordinates to indices (torchvision skips them); such calls go to the
     * portable implementation, which follows torchvision.
     */
    private static boolean needsPortable(float[] r, float spatialScale, boolean aligned) {
        for (int i = 0; i + 4 < r.length; i += 5) {
            for (int j = 1; j < 5; j++) {
                if (!Float.isFinite(r[i + j])) {
                    return true;
                }
            }
            if (aligned) {
                float w = (r[i + 3] * spatialScale - 0.5f) - (r[i + 1] * spatialScale - 0.5f);
                float h = (r[i + 4] * spatialScale - 0.5f) - (r[i + 2] * spatialScale - 0.5f);
                if (!(w > 0) || !(h > 0)) {
                    return true;
                }
            }
        }
        return false;
    }

    @Override
    public int[] nms(float[] boxes, float[] scores, float iouThreshold) {
        return Nms.nms(boxes, scores, iouThreshold);
    }
}
