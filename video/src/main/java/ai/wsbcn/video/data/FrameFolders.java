package ai.wsbcn.video.data;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/** Finds how many frames a video folder holds: the run {@code 1, 2, ...} of files named by the frame template. */
public final class FrameFolders {

    /** Something-Something V1's frame names: {@code 00001.jpg}. */
    public static final String SS_TEMPLATE = "%05d.jpg";

    private FrameFolders() {}

    /** The file of frame {@code index} (1-based). */
    public static Path frame(Path dir, String template, int index) {
        return dir.resolve(String.format(Locale.ROOT, template, index));
    }

    /**
     * The number of consecutive frames {@code 1..n} present in {@code dir}; 0 when the folder is missing, unreadable
     * or holds no first frame. Fast path: when the folder holds {@code k} files and frames 1 and {@code k} exist, all
     * {@code k} are taken to be frames (one listing, two look-ups per video, which matters for 100k folders);
     * otherwise frames are checked name by name and a gap ends the video. A frame that is then missing at load time
     * is reported by the loader with its file name.
     */
    public static int countFrames(Path dir, String template) {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        int files = 0;
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
            for (Path ignored : s) {
                files++;
            }
        } catch (IOException e) {
            return 0;
        }
        if (files > 0 && Files.isRegularFile(frame(dir, template, files)) && Files.isRegularFile(frame(dir, template, 1))) {
            return files;
        }
        int n = 0;
        while (n < files && Files.isRegularFile(frame(dir, template, n + 1))) {
            n++;
        }
        return n;
    }

    /** Why a folder has no frames, for the skip report. */
    static String whyEmpty(Path dir, String template) {
        if (!Files.exists(dir)) {
            return "frame folder " + dir + " does not exist";
        }
        if (!Files.isDirectory(dir)) {
            return dir + " is not a folder";
        }
        return "frame folder " + dir + " has no frame " + frame(dir, template, 1).getFileName();
    }
}
