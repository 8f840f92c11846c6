package ai.wsbcn.detection.transforms;

/**
 * The ground-truth instances of one image on the host: boxes {@code n*4} as {@code x1,y1,x2,y2} in pixels of an
 * image of {@code height x width}, labels 1..K (0 is background), and optionally one binary mask per instance
 * ({@code height*width} bytes, row-major, 0 or 1). Masks are null for Faster R-CNN data.
 */
public record TargetInstances(float[] boxes, int[] labels, byte[][] masks, int height, int width) {

    public TargetInstances {
        if (boxes == null || labels == null || boxes.length != labels.length * 4) {
            throw new IllegalArgumentException("targets need 4 box coordinates per label, got "
                    + (boxes == null ? "null" : boxes.length) + " coordinates for "
                    + (labels == null ? "null" : labels.length) + " labels");
        }
        if (masks != null && masks.length != labels.length) {
            throw new IllegalArgumentException("targets need one mask per instance, got " + masks.length
                    + " masks for " + labels.length + " instances");
        }
        if (masks != null) {
            for (int k = 0; k < masks.length; k++) {
                // a mask of another size would be read out of bounds (or misread) when it is resized
                if (masks[k] == null || masks[k].length != height * width) {
                    throw new IllegalArgumentException("mask of instance " + k + " needs " + height + "*" + width
                            + " bytes (the targets' image size), got " + (masks[k] == null ? "null" : masks[k].length));
                }
            }
        }
    }

    /** Number of instances. */
    public int size() {
        return labels.length;
    }

    /** Whether every instance has a mask. */
    public boolean hasMasks() {
        return masks != null;
    }
}
