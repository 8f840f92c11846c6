package ai.wsbcn.detection.model;

/**
 * Detections of one image in its ORIGINAL pixels: boxes {@code n*4} (x1,y1,x2,y2, continuous coordinates as in
 * torchvision, clipped to the image), scores in descending order, labels 1..K in the training set's category order
 * ({@code CategoryMapping.categoryId(label)} gives the COCO category id) and, for Mask R-CNN, binary masks pasted into
 * the image ({@code height*width} bytes each, row-major, 0/1; null without masks).
 */
public record ImageDetections(long imageId, int height, int width, float[] boxes, float[] scores, int[] labels,
        byte[][] masks) {

    public int size() {
        return scores.length;
    }
}
