package ai.wsbcn.detection.data.synthetic;

import ai.wsbcn.detection.coco.mask.Rle;

/**
 * One annotated shape of a synthetic image: its kind, its visible mask (what later shapes leave of it), its full
 * outline and its colour ({@code [b, g, r]}, painted flat on every visible pixel).
 */
public record SyntheticInstance(ShapeKind kind, Rle visibleMask, double[] outline, boolean occluded, int[] colorBgr) {}
