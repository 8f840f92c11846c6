package ai.wsbcn.detection.ops;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/**
 * Engine-specific detection operators. On MXNet, RoIAlign is MXNet's native {@code ROIAlign} operator
 * ({@link MxDetectionOps}); elsewhere a gather + batched-matmul formulation from engine-neutral NDArray operations
 * ({@link PortableDetectionOps}). NMS always runs on the host ({@code ai.wsbcn.detection.box.Nms}) with torchvision's
 * exact keep lists (MXNet's {@code box_nms} compares IoU with a float threshold and differs at boundary IoUs).
 */
public interface DetectionOps {

    /**
     * torchvision {@code roi_align}, differentiable w.r.t. {@code features} on every engine.
     *
     * @param features (N, C, H, W)
     * @param rois (K, 5) float32 rows {@code [batchIndex, x1, y1, x2, y2]} in image pixels
     * @param spatialScale feature pixels per image pixel (1/stride)
     * @param samplingRatio samples per bin side; {@code <= 0} = adaptive ceil(roi size / output size)
     * @param aligned half-pixel offset (torchvision {@code aligned=True}); Mask R-CNN uses false
     * @return (K, C, outH, outW)
     */
    NDArray roiAlign(NDArray features, NDArray rois, int outH, int outW, float spatialScale, int samplingRatio,
                     boolean aligned);

    /** Host NMS, indices kept by decreasing score (torchvision semantics). */
    int[] nms(float[] boxes, float[] scores, float iouThreshold);

    /** {@link MxDetectionOps} on an MXNet manager, {@link PortableDetectionOps} otherwise. */
    static DetectionOps forManager(NDManager manager) {
        if ("MXNet".equals(manager.getEngine().getEngineName())) {
            return new MxDetectionOps();
        }
        return new PortableDetectionOps();
    }
}
