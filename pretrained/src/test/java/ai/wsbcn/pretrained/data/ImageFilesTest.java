package ai.wsbcn.pretrained.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.wsbcn.norm.testing.ExifJpegs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

class ImageFilesTest {

    @Test
    void anExifOrientationIsNotAppliedSoAnnotationsStayAligned(@TempDir Path dir) throws Exception {
        // 64 wide, 48 high, left half dark and right half bright: a rotation would make it 48x64
        byte[] pixels = new byte[64 * 48 * 3];
        for (int y = 0; y < 48; y++) {
            for (int x = 32; x < 64; x++) {
                for (int c = 0; c < 3; c++) {
                    pixels[3 * (y * 64 + x) + c] = (byte) 220;
                }
            }
        }
        Path plain = dir.resolve("plain.jpg");
        ImageFiles.writeRgb(plain, new RgbImage(64, 48, pixels));
        Path rotated = dir.resolve("tagged.jpg");
        tagRotate90(plain, rotated);

        RgbImage read = ImageFiles.readRgb(rotated);
        assertEquals(64, read.width(), "stored width, as pycocotools' and torchvision's readers see it");
        assertEquals(48, read.height());
        assertArrayEquals(ImageFiles.readRgb(plain).rgb(), read.rgb(), "the same pixels as without the tag");
        assertTrue((read.rgb()[3 * 60] & 0xFF) > 180, "the bright half stays on the right");
    }

    /** Copies a JPEG with an EXIF orientation tag 6 ("rotate 90 degrees clockwise to view"). */
    static void tagRotate90(Path plainJpeg, Path tagged) throws Exception {
        Files.write(tagged, ExifJpegs.withOrientation(Files.readAllBytes(plainJpeg), 6));
    }
}
