package ai.wsbcn.video.data;

import ai.wsbcn.util.InvalidInputException;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Gathers the videos of one split file (V1's CSV, V2's JSON): refuses an id listed twice, counts each video's frames
 * in {@code frameRoot/<id>}, sets aside those without frames and reports those whose numbering has a gap.
 */
final class SplitCollector {

    private final String source;
    private final Path frameRoot;
    private final String template;
    private final String unit;
    private final List<VideoRecord> videos = new ArrayList<>();
    private final List<SkippedVideo> skipped = new ArrayList<>();
    private final List<ShortenedVideo> shortened = new ArrayList<>();
    private final Map<String, Integer> positionOf = new HashMap<>();

    /** {@code unit} names a position in messages: {@code "line"} or {@code "entry"}. */
    SplitCollector(Path file, Path frameRoot, String template, String unit) {
        this.source = file.toString();
        this.frameRoot = frameRoot;
        this.template = template;
        this.unit = unit;
    }

    /** Video {@code id} of class {@code label} at 1-based {@code position} of the file. */
    void add(int position, String id, int label) {
        Integer before = positionOf.putIfAbsent(id, position);
        if (before != null) {
            throw new InvalidInputException(where(position) + ": video " + id + " is listed again (" + unit + " "
                    + before + ")");
        }
        Path dir = frameRoot.resolve(id);
        FrameFolders.FrameRun run = FrameFolders.scan(dir, template);
        int n = run.frames();
        if (n == 0) {
            skipped.add(new SkippedVideo(source, position, id, FrameFolders.whyEmpty(dir, template)));
            return;
        }
        if (run.gap()) {
            shortened.add(new ShortenedVideo(source, position, id, n, "frames 1.." + n + ", then frame "
                    + FrameFolders.frame(dir, template, n + 1).getFileName() + " is missing: the later ones are not used"));
        }
        videos.add(new VideoRecord(id, dir, n, label));
    }

    /** {@code file:3} for a line, {@code file: entry 3} for a JSON entry. */
    String where(int position) {
        return "line".equals(unit) ? source + ":" + position : source + ": entry " + position;
    }

    VideoList build(List<String> classes) {
        if (videos.isEmpty() && skipped.isEmpty()) {
            throw new InvalidInputException(source + ": the split lists no video");
        }
        return new VideoList(classes, videos, skipped, shortened, template);
    }
}
