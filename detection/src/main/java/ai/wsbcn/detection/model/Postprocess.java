package ai.wsbcn.detection.model;

import ai.wsbcn.detection.model.masks.MaskPaster;
import ai.wsbcn.detection.transforms.DetectionTransform;
import ai.wsbcn.detection.transforms.ImageBatch;

import java.util.ArrayList;
import java.util.List;

/**
 * torchvision's {@code GeneralizedRCNNTransform.postprocess} + {@code paste_masks_in_image}: boxes of the resized
 * image scaled back to the original image per axis, then each detection's 28x28 mask probabilities pasted into the
 * original image inside its box and thresholded (0.5).
 */
public final class Postprocess {

    private Postprocess() {}

    public static List<ImageDetections> toOriginal(List<Detections> detections, ImageBatch batch) {
        return toOriginal(detections, batch, 0.5f);
    }

    public static List<ImageDetections> toOriginal(List<Detections> detections, ImageBatch batch,
            float maskThreshold) {
        if (detections.size() != batch.size()) {
            throw new IllegalArgumentException(detections.size() + " detection lists for " + batch.size()
                    + " images");
        }
        List<ImageDetections> out = new ArrayList<>(detections.size());
        for (int i = 0; i < detections.size(); i++) {
            Detections d = detections.get(i);
            int h = batch.originalHeight(i);
            int w = batch.originalWidth(i);
            float[] boxes = DetectionTransform.toOriginal(d.boxes(), batch.height(i), batch.width(i), h, w);
            byte[][] masks = null;
            if (d.maskProbs() != null) {
                masks = new byte[d.size()][];
                for (int k = 0; k < d.size(); k++) {
                    float[] probs = d.maskProbs()[k];
                    int m = (int) Math.round(Math.sqrt(probs.length));
                    float[] box = {boxes[4 * k], boxes[4 * k + 1], boxes[4 * k + 2], boxes[4 * k + 3]};
                    masks[k] = MaskPaster.paste(probs, m, box, h, w, maskThreshold);
                }
            }
            out.add(new ImageDetections(batch.imageId(i), h, w, boxes, d.scores().clone(), d.labels().clone(),
                    masks));
        }
        return out;
    }
}
