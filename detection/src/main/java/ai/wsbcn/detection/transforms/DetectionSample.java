package ai.wsbcn.detection.transforms;

/** One image as loaded: RGB bytes in HWC order, its size and its ground truth (in the same pixel frame). */
public record DetectionSample(long imageId, byte[] rgb, int height, int width, TargetInstances targets) {

    public DetectionSample {
        if (rgb == null || rgb.length != height * width * 3) {
            throw new IllegalArgumentException("image " + imageId + " needs " + height + "*" + width
                    + "*3 RGB bytes, got " + (rgb == null ? "null" : rgb.length));
        }
    }
}
