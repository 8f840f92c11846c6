package ai.wsbcn.segmentation.data;

import ai.wsbcn.pretrained.data.RgbImage;
/** A decoded image with its label map of the same size. */
public record SegmentationSample(String id, RgbImage image, LabelMap label) {}
