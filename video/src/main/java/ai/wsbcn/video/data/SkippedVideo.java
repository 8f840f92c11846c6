package ai.wsbcn.video.data;

/** A video left out of a list because its frames are missing or empty; {@code line} is 1-based in {@code source}. */
public record SkippedVideo(String source, int line, String id, String reason) {

    @Override
    public String toString() {
        return source + ":" + line + ": video " + id + ": " + reason;
    }
}
