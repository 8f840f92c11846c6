package ai.wsbcn.pretrained.data;

import org.junit.jupiter.api.Test;

import java.awt.image.BufferedImage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** {@link RgbImage#of}: every BufferedImage type to the RGB bytes PIL / OpenCV would read from the same file. */
class RgbImageTest {

    @Test
    void colourTypesGiveRgbInRowMajorOrder() {
        for (int type : new int[] {BufferedImage.TYPE_INT_RGB, BufferedImage.TYPE_3BYTE_BGR,
                BufferedImage.TYPE_INT_ARGB, BufferedImage.TYPE_4BYTE_ABGR}) {
            BufferedImage b = new BufferedImage(3, 2, type);
            b.setRGB(0, 0, 0xff102030);
            b.setRGB(2, 1, 0x80a0b0c0); // half-transparent: the colour is kept, the alpha dropped
            RgbImage im = RgbImage.of(b);
            assertEquals(3, im.width());
            assertEquals(2, im.height());
            assertArrayEquals(new byte[] {0x10, 0x20, 0x30}, slice(im.rgb(), 0), "type " + type);
            if (type != BufferedImage.TYPE_INT_RGB && type != BufferedImage.TYPE_3BYTE_BGR) {
                assertArrayEquals(new byte[] {(byte) 0xa0, (byte) 0xb0, (byte) 0xc0}, slice(im.rgb(), 5),
                        "type " + type);
            }
        }
    }

    @Test
    void greyKeepsItsStoredValues() {
        BufferedImage g = new BufferedImage(2, 1, BufferedImage.TYPE_BYTE_GRAY);
        g.getRaster().setSample(0, 0, 0, 128);
        g.getRaster().setSample(1, 0, 0, 255);
        // getRGB would give 188 for the stored 128
        assertArrayEquals(new byte[] {(byte) 128, (byte) 128, (byte) 128, (byte) 255, (byte) 255, (byte) 255},
                RgbImage.of(g).rgb());
        BufferedImage g16 = new BufferedImage(1, 1, BufferedImage.TYPE_USHORT_GRAY);
        g16.getRaster().setSample(0, 0, 0, 0x8040);
        assertArrayEquals(new byte[] {(byte) 0x80, (byte) 0x80, (byte) 0x80}, RgbImage.of(g16).rgb());
        assertThrows(NullPointerException.class, () -> RgbImage.of(null));
    }

    private static byte[] slice(byte[] rgb, int pixel) {
        return new byte[] {rgb[3 * pixel], rgb[3 * pixel + 1], rgb[3 * pixel + 2]};
    }
}
