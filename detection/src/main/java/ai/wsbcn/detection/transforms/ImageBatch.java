package ai.wsbcn.detection.transforms;

import ai.djl.ndarray.NDArray;

/**
 * Images resized, normalised and zero-padded into one tensor {@code (N, 3, Hpad, Wpad)} (padding at the bottom and
 * right, so pixel coordinates are unchanged), plus for every image the size after the resize (before padding), the
 * scale from original to resized pixels and whether it was flipped. The batch owns {@link #images()}: close it (or
 * its manager) after the step.
 */
public final class ImageBatch implements AutoCloseable {

    private final NDArray images;
    private final long[] imageIds;
    private final int[] heights;
    private final int[] widths;
    private final int[] originalHeights;
    private final int[] originalWidths;
    private final boolean[] flipped;

    public ImageBatch(NDArray images, long[] imageIds, int[] heights, int[] widths, int[] originalHeights,
            int[] originalWidths, boolean[] flipped) {
        int n = heights.length;
        if (imageIds.length != n || widths.length != n || originalHeights.length != n || originalWidths.length != n
                || flipped.length != n || images.getShape().get(0) != n) {
            throw new IllegalArgumentException("image batch arrays must all have " + n + " entries");
        }
        this.images = images;
        this.imageIds = imageIds.clone();
        this.heights = heights.clone();
        this.widths = widths.clone();
        this.originalHeights = originalHeights.clone();
        this.originalWidths = originalWidths.clone();
        this.flipped = flipped.clone();
    }

    /** The padded batch {@code (N, 3, Hpad, Wpad)}, float32, ImageNet-normalised. */
    public NDArray images() {
        return images;
    }

    public int size() {
        return heights.length;
    }

    public long imageId(int i) {
        return imageIds[i];
    }

    /** Height of image {@code i} after the resize (the valid region of the padded tensor). */
    public int height(int i) {
        return heights[i];
    }

    public int width(int i) {
        return widths[i];
    }

    public int paddedHeight() {
        return (int) images.getShape().get(2);
    }

    public int paddedWidth() {
        return (int) images.getShape().get(3);
    }

    public int originalHeight(int i) {
        return originalHeights[i];
    }

    public int originalWidth(int i) {
        return originalWidths[i];
    }

    /** Resized height over original height (torchvision's per-axis box ratio). */
    public float scaleY(int i) {
        return (float) heights[i] / originalHeights[i];
    }

    public float scaleX(int i) {
        return (float) widths[i] / originalWidths[i];
    }

    /** Whether image {@code i} was flipped horizontally (training augmentation). */
    public boolean flipped(int i) {
        return flipped[i];
    }

    @Override
    public void close() {
        images.close();
    }
}
