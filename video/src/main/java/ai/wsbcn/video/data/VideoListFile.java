package ai.wsbcn.video.data;

import ai.wsbcn.util.InvalidInputException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The TSM code's generic list file: one video per line, {@code path num_frames label} separated by white space;
 * {@code path} is a frame folder, relative paths against {@code frameRoot}. The frame count is taken from the file
 * (as the TSM code does) but a folder without its first frame is skipped and reported; a count of 0 is skipped too.
 * When the folder's run of frames {@code 1, 2, ...} is shorter than the count (TSM's label scripts count every file in
 * the folder, stray ones too; or the numbering has a gap) the run is used and the video is listed in
 * {@link VideoList#shortened()}: the TSM code would load frame 1 in place of each missing frame, and a run here would
 * otherwise stop at the first draw of a missing frame.
 */
public final class VideoListFile {

    private VideoListFile() {}

    /**
     * Reads {@code file}; {@code classes} names the labels (may be {@code null}: then the classes are
     * {@code "0".."max label"}).
     */
    public static VideoList read(Path file, Path frameRoot, String template, List<String> classes) {
        List<String> lines = SomethingSomething.readLines(file, "list file");
        List<VideoRecord> videos = new ArrayList<>();
        List<SkippedVideo> skipped = new ArrayList<>();
        List<ShortenedVideo> shortened = new ArrayList<>();
        String source = file.toString();
        int maxLabel = -1;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty()) {
                continue;
            }
            String[] f = line.split("\\s+");
            if (f.length != 3) {
                throw new InvalidInputException(source + ":" + (i + 1) + ": expected 'path num_frames label', got "
                        + f.length + " fields: '" + line + "'");
            }
            int frames = parse(f[1], "num_frames", source, i + 1);
            int label = parse(f[2], "label", source, i + 1);
            if (classes != null && label >= classes.size()) {
                throw new InvalidInputException(source + ":" + (i + 1) + ": label " + label + " is out of range (only "
                        + classes.size() + " classes)");
            }
            maxLabel = Math.max(maxLabel, label); // a skipped video's class is still a class
            Path dir = frameRoot.resolve(f[0]);
            FrameFolders.FrameRun run = frames == 0 ? null : FrameFolders.scan(dir, template);
            if (frames == 0) {
                skipped.add(new SkippedVideo(source, i + 1, f[0], "num_frames is 0"));
            } else if (run.frames() == 0) {
                skipped.add(new SkippedVideo(source, i + 1, f[0], FrameFolders.whyEmpty(dir, template)));
            } else {
                if (run.frames() < frames) {
                    String missing = FrameFolders.frame(dir, template, run.frames() + 1).getFileName().toString();
                    shortened.add(new ShortenedVideo(source, i + 1, f[0], run.frames(), "num_frames " + frames
                            + ", but its folder has frames 1.." + run.frames() + (run.gap() ? " before a gap ("
                            + missing + " is missing)" : " only")));
                    frames = run.frames();
                }
                videos.add(new VideoRecord(f[0], dir, frames, label));
            }
        }
        List<String> names = classes;
        if (names == null) {
            names = new ArrayList<>();
            for (int c = 0; c <= maxLabel; c++) {
                names.add(Integer.toString(c));
            }
        }
        if (videos.isEmpty() && skipped.isEmpty()) {
            throw new InvalidInputException(source + ": the list names no video");
        }
        return new VideoList(names, videos, skipped, shortened, template);
    }

    private static int parse(String s, String field, String source, int line) {
        try {
            int v = Integer.parseInt(s);
            if (v >= 0) {
                return v;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new InvalidInputException(source + ":" + line + ": " + field + " must be an integer >= 0, got '" + s
                + "'");
    }
}
