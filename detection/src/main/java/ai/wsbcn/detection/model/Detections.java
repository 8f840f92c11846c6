package ai.wsbcn.detection.model;

/**
 * Detections of one image in the resized image's pixels: boxes {@code n*4} (x1,y1,x2,y2), scores (descending),
 * labels 1..K and, for Mask R-CNN, each detection's {@code M x M} mask probabilities of its own class (null for
 * Faster R-CNN).
 */
public record Detections(float[] boxes, float[] scores, int[] labels, float[][] maskProbs) {

    public int size() {
        return scores.length;
    }
}
