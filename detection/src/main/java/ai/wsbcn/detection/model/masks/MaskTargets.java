package ai.wsbcn.detection.model.masks;

import ai.wsbcn.detection.ops.RoiAlignHost;

/**
 * Mask-loss targets as torchvision's {@code project_masks_on_boxes}: the ground-truth mask cropped to the proposal
 * and resampled to m x m by RoIAlign (spatial scale 1, adaptive sampling, aligned=False).
 */
public final class MaskTargets {

    private MaskTargets() {}

    /**
     * @param mask binary mask, height*width row-major, nonzero = inside
     * @param box proposal x1, y1, x2, y2 in the mask's pixel coordinates
     * @return m*m values in [0, 1] (the fraction of each bin's samples inside, bilinearly weighted)
     */
    public static float[] project(byte[] mask, int height, int width, float[] box, int m) {
        return RoiAlignHost.roiAlignBinary(mask, height, width, box, m, 1f, -1, false);
    }
}
