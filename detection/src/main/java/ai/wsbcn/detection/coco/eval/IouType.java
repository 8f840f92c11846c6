package ai.wsbcn.detection.coco.eval;

import ai.wsbcn.util.InvalidInputException;

import java.util.Locale;

/** What is compared between detections and ground truth: boxes or masks. */
public enum IouType {
    BBOX,
    SEGM;

    /** Parses {@code bbox} or {@code segm}. */
    public static IouType parse(String s) {
        switch (s.toLowerCase(Locale.ROOT)) {
            case "bbox":
                return BBOX;
            case "segm":
                return SEGM;
            default:
                throw new InvalidInputException("--iou-type: unknown IoU type '" + s + "' (use bbox or segm)");
        }
    }

    /** The name pycocotools uses ({@code bbox}, {@code segm}). */
    public String cocoName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
