package ai.wsbcn.detection.transforms;

/**
 * One image as loaded: RGB bytes in HWC order, its size and its ground truth in the same pixel frame ({@code targets}
 * may be null for inference; training needs them).
 */
public record DetectionSample(long imageId, byte[] rgb, int height, int width, TargetInstances targets) {

    public DetectionSample {
        if (rgb == null || rgb.length != height * width * 3) {
            throw new IllegalArgumentException("image " + imageId + " needs " + height + "*" + width
                    + "*3 RGB bytes, got " + (rgb == null ? "null" : rgb.length));
        }
        if (targets != null && (targets.height() != height || targets.width() != width)) {
            throw new IllegalArgumentException("image " + imageId + " is " + width + "x" + height
                    + " but its targets are for a " + targets.width() + "x" + targets.height() + " image");
        }
    }
}
