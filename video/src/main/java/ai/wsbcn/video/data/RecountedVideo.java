package ai.wsbcn.video.data;

/**
 * A list-file video whose frame folder holds fewer frames than its {@code num_frames}: TSM's label scripts count every
 * file of the folder ({@code os.listdir}), so one stray file ({@code .DS_Store}, {@code Thumbs.db}) makes the last
 * frame a file that does not exist. The folder's own count {@code found} is used; {@code line} is 1-based.
 */
public record RecountedVideo(String source, int line, String id, int listed, int found) {

    @Override
    public String toString() {
        return source + ":" + line + ": video " + id + ": num_frames " + listed + ", but its folder has frames 1.."
                + found + " only";
    }
}
