package ai.wsbcn.video.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.wsbcn.norm.testing.ExifJpegs;
import ai.wsbcn.pretrained.data.ImageFiles;
import ai.wsbcn.pretrained.data.RgbImage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opencv.core.Mat;

import java.nio.file.Files;
import java.nio.file.Path;

/** Frames are read as stored, as the TSM code's PIL loader reads them: an EXIF orientation tag is not applied. */
class FrameOrientationTest {

    @Test
    void aTaggedFrameKeepsItsStoredShape(@TempDir Path dir) throws Exception {
        byte[] pixels = new byte[64 * 48 * 3]; // 64 wide, 48 high: a rotation would make it 48x64
        Path plain = dir.resolve("plain.jpg");
        ImageFiles.writeRgb(plain, new RgbImage(64, 48, pixels));
        Path frame = Files.createDirectories(dir.resolve("v1")).resolve("00001.jpg");
        Files.write(frame, ExifJpegs.withOrientation(Files.readAllBytes(plain), 6));

        Mat rgb = VideoClipDataset.readRgb(frame, new VideoRecord("v1", frame.getParent(), 1, 0), 1);
        try {
            assertTrue(rgb.channels() == 3);
            assertEquals(64, rgb.cols(), "stored width");
            assertEquals(48, rgb.rows(), "stored height");
        } finally {
            rgb.release();
        }
    }
}
