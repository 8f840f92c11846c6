package ai.wsbcn.detection.coco.json;

/**
 * A problem in a COCO file that was not fatal: the entry was kept or skipped as pycocotools would (see the
 * message). {@code location} names the entry and field, e.g. {@code annotations[12] (id 345) bbox}.
 */
public record CocoWarning(String source, String location, String message) {

    @Override
    public String toString() {
        return source + ": " + location + ": " + message;
    }
}
