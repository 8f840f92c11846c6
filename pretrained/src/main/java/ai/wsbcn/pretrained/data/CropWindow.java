package ai.wsbcn.pretrained.data;

/** A crop rectangle in pixels: top-left corner {@code (x, y)} and size. */
public record CropWindow(int x, int y, int width, int height) {

    public CropWindow {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("crop must have a positive size, got " + width + "x" + height);
        }
    }
}
