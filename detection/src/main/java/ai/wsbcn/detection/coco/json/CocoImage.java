package ai.wsbcn.detection.coco.json;

/**
 * An entry of {@code images}: the id, the file name relative to the image root ({@code null} when the file has none)
 * and the size in pixels.
 */
public record CocoImage(long id, String fileName, int width, int height) {}
