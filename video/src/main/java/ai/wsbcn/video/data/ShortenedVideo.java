package ai.wsbcn.video.data;

/**
 * A video that is used with fewer frames than it seems to have, and why: a list file's {@code num_frames} past the
 * folder's last frame (TSM's label scripts count every file of the folder with {@code os.listdir}, so one stray
 * {@code .DS_Store} makes the last frame a file that does not exist), or a gap in the frame numbering (the frames after
 * it are not used). {@code frames} is the count used; {@code line} is 1-based in {@code source}.
 */
public record ShortenedVideo(String source, int line, String id, int frames, String why) {

    @Override
    public String toString() {
        return source + ":" + line + ": video " + id + ": " + why;
    }
}
