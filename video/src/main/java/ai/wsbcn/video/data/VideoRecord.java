package ai.wsbcn.video.data;

import java.nio.file.Path;

/**
 * One video as a folder of frames: {@code frameDir/<template % i>} for {@code i = 1..numFrames} (1-based, as in
 * Something-Something's {@code 00001.jpg}); {@code label} indexes the class list.
 */
public record VideoRecord(String id, Path frameDir, int numFrames, int label) {

    public VideoRecord {
        if (numFrames < 1) {
            throw new IllegalArgumentException("video " + id + ": needs at least one frame, got " + numFrames);
        }
        if (label < 0) {
            throw new IllegalArgumentException("video " + id + ": label must be >= 0, got " + label);
        }
    }
}
