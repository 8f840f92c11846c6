package ai.wsbcn.segmentation.data;

import ai.wsbcn.norm.testing.ExifJpegs;
import ai.wsbcn.pretrained.data.ImageFiles;
import ai.wsbcn.pretrained.data.RgbImage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A sample's image is read as its label was drawn: on the stored pixels. */
class VocSampleTest {

    /**
     * VOC labels are aligned with the JPEG's stored raster (PIL and DeepLab ignore EXIF). OpenCV's default turns the
     * image upright: a 90-degree tag then made image and label differ in size, a 180-degree one silently misaligned
     * them.
     */
    @Test
    void exifOrientationIsIgnoredSoImageAndLabelStayAligned(@TempDir Path dir) throws IOException {
        int w = 40;
        int h = 24;
        byte[] rgb = new byte[3 * w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                // left half red, right half blue: a turn or a mirror moves the colours
                rgb[3 * (y * w + x) + (x < w / 2 ? 0 : 2)] = (byte) 250;
            }
        }
        Path plain = dir.resolve("plain.jpg");
        ImageFiles.writeRgb(plain, new RgbImage(w, h, rgb));
        Path label = dir.resolve("x.png");
        LabelPng.write(label, LabelMap.filled(w, h, 0));
        for (int orientation : new int[] {6, 3, 2}) {
            Path jpg = dir.resolve("exif" + orientation + ".jpg");
            Files.write(jpg, ExifJpegs.withOrientation(Files.readAllBytes(plain), orientation));
            SegmentationSample s = new VocSample("x", jpg, label).load();
            assertEquals(w, s.image().width(), "orientation " + orientation);
            assertEquals(h, s.image().height(), "orientation " + orientation);
            // pixel (0, 0) is the stored red, not the blue that turning or mirroring brings there (JPEG error < 30)
            assertTrue((s.image().rgb()[0] & 0xff) > 200 && (s.image().rgb()[2] & 0xff) < 30,
                    "orientation " + orientation + ": (0,0) = " + (s.image().rgb()[0] & 0xff) + ","
                            + (s.image().rgb()[2] & 0xff));
        }
    }
}
