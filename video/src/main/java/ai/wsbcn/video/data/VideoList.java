package ai.wsbcn.video.data;

import org.slf4j.Logger;

import java.util.List;

/**
 * The videos of one split, the class names their labels index, the videos that were left out (missing or empty
 * frame folders: a partial download must not end a run, but the user must see what was dropped), the videos used
 * with fewer frames than they seem to have, and the frame-name template their folders use.
 */
public record VideoList(List<String> classes, List<VideoRecord> videos, List<SkippedVideo> skipped,
        List<ShortenedVideo> shortened, String template) {

    private static final int LOGGED = 10;

    public VideoList {
        classes = List.copyOf(classes);
        videos = List.copyOf(videos);
        skipped = List.copyOf(skipped);
        shortened = List.copyOf(shortened);
    }

    /** Frames named {@code %05d.jpg} (Something-Something V1), no frame count corrected. */
    public VideoList(List<String> classes, List<VideoRecord> videos, List<SkippedVideo> skipped) {
        this(classes, videos, skipped, List.of(), FrameFolders.SS_TEMPLATE);
    }

    public int size() {
        return videos.size();
    }

    /** Logs how many videos were skipped and the first few reasons. */
    public void logSkipped(Logger log) {
        if (skipped.isEmpty()) {
            return;
        }
        log.warn("{} of {} videos skipped (missing or empty frame folders):", skipped.size(),
                skipped.size() + videos.size());
        for (int i = 0; i < Math.min(LOGGED, skipped.size()); i++) {
            log.warn("  {}", skipped.get(i));
        }
        if (skipped.size() > LOGGED) {
            log.warn("  ... and {} more", skipped.size() - LOGGED);
        }
    }

}
