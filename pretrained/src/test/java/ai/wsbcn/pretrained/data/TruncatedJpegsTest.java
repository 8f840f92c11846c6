package ai.wsbcn.pretrained.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;

class TruncatedJpegsTest {

    @Test
    void aJpegCutShortIsNamedAndStillDecodes(@TempDir Path dir) throws Exception {
        byte[] pixels = new byte[64 * 48 * 3];
        new Random(3).nextBytes(pixels); // noise: the compressed data has every byte value, 0xFF included
        RgbImage image = new RgbImage(64, 48, pixels);
        Path whole = dir.resolve("whole.jpg");
        ImageFiles.writeRgb(whole, image);
        assertFalse(TruncatedJpegs.warnIfTruncated(whole), "a complete JPEG");
        byte[] bytes = Files.readAllBytes(whole);
        Path cut = dir.resolve("cut.jpg");
        Files.write(cut, Arrays.copyOf(bytes, bytes.length * 9 / 10));
        assertTrue(TruncatedJpegs.warnIfTruncated(cut));
        RgbImage decoded = ImageFiles.readRgb(cut); // OpenCV fills the rest; the warning is what tells
        assertEquals(64, decoded.width());
        Path png = dir.resolve("p.png");
        ImageFiles.writeRgb(png, image);
        assertFalse(TruncatedJpegs.warnIfTruncated(png), "not a JPEG: not this check's");
    }
}
