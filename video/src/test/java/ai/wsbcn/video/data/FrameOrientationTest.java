package ai.wsbcn.video.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.wsbcn.pretrained.data.ImageFiles;
import ai.wsbcn.pretrained.data.RgbImage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opencv.core.Mat;

import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** Frames are read as stored, as the TSM code's PIL loader reads them: an EXIF orientation tag is not applied. */
class FrameOrientationTest {

    /** APP1 "Exif" segment whose only IFD entry is Orientation (0x0112) = 6: "rotate 90 degrees clockwise to view". */
    private static final byte[] EXIF_ROTATE_90 = {
        (byte) 0xFF, (byte) 0xE1, 0, 34, 'E', 'x', 'i', 'f', 0, 0,
        'M', 'M', 0, 42, 0, 0, 0, 8,
        0, 1, 0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, 6, 0, 0,
        0, 0, 0, 0};

    @Test
    void aTaggedFrameKeepsItsStoredShape(@TempDir Path dir) throws Exception {
        byte[] pixels = new byte[64 * 48 * 3]; // 64 wide, 48 high: a rotation would make it 48x64
        Path plain = dir.resolve("plain.jpg");
        ImageFiles.writeRgb(plain, new RgbImage(64, 48, pixels));
        byte[] jpeg = Files.readAllBytes(plain);
        ByteArrayOutputStream tagged = new ByteArrayOutputStream();
        tagged.write(jpeg, 0, 2); // SOI
        tagged.write(EXIF_ROTATE_90);
        tagged.write(jpeg, 2, jpeg.length - 2);
        Path frame = Files.createDirectories(dir.resolve("v1")).resolve("00001.jpg");
        Files.write(frame, tagged.toByteArray());

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
