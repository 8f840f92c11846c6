package ai.wsbcn.segmentation.data;

import ai.wsbcn.util.InvalidInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Label PNGs read as indices (PIL-written references), written as palette PNGs, and read back unchanged. */
class LabelPngTest {

    private static byte[] resource(String name) throws IOException {
        try (InputStream in = LabelPngTest.class.getResourceAsStream("/labels/" + name)) {
            return in.readAllBytes();
        }
    }

    @Test
    void readsPilPaletteGreyAndPaletteColouredPngsAsIndices() throws IOException {
        byte[] expected = resource("pil_indices_37x53.u8");
        for (String name : new String[] {"pil_palette.png", "pil_grey.png", "pil_rgb_palette_colours.png"}) {
            LabelMap m = LabelPng.decode(resource(name), name);
            assertEquals(53, m.width(), name);
            assertEquals(37, m.height(), name);
            assertArrayEquals(expected, m.labels(), name);
        }
    }

    /**
     * Other PNG kinds PIL writes, all of one 37x53 map (classes 0..20, rows of 255): a 16-bit grey PNG, palettes that
     * are not VOC's, shorter than 256 entries or with a transparent entry, RGBA in VOC colours; a 4-bit palette PNG of
     * the map modulo 16 and a 1-bit PNG of it modulo 2 (PIL's mode "1"). The index counts, never the colour.
     */
    @Test
    void readsEveryPilLabelPngKindAsIndices() throws IOException {
        byte[] expected = LabelPng.decode(resource("pil_ref_grey.png"), "ref").labels();
        for (String name : new String[] {"pil_grey16.png", "pil_pal_other.png", "pil_pal_short.png",
            "pil_pal_trns.png", "pil_rgba_voc.png"}) {
            assertArrayEquals(expected, LabelPng.decode(resource(name), name).labels(), name);
        }
        byte[] mod16 = new byte[expected.length];
        byte[] mod2 = new byte[expected.length];
        for (int i = 0; i < expected.length; i++) {
            mod16[i] = (byte) ((expected[i] & 0xff) % 16);
            mod2[i] = (byte) ((expected[i] & 0xff) % 2);
        }
        assertArrayEquals(mod16, LabelPng.decode(resource("pil_pal4.png"), "pal4").labels());
        assertArrayEquals(mod2, LabelPng.decode(resource("pil_bit1.png"), "bit1").labels());
    }

    /**
     * 2- and 4-bit grey samples are intensities (PIL's {@code np.array} and OpenCV give sample x 85 or x 17): a 4-bit
     * file of {0, 1, 15}, as a PNG optimiser makes from 8-bit labels {0, 17, 255}, is sheep and ignore, not aeroplane
     * and person. 1-bit stays 0/1, PIL's reading. Files written by hand (no optimiser here), checked against PIL 9.4.
     */
    @Test
    void lowBitDepthGreyReadsAsPilDoes() throws IOException {
        assertArrayEquals(new byte[] {0, 17, (byte) 255, 0, 17, (byte) 255, (byte) 255, 0, 17, 0},
                LabelPng.decode(resource("grey_4bit_5x2.png"), "g4").labels());
        assertArrayEquals(new byte[] {0, 85, (byte) 170, (byte) 255, 0, (byte) 255, (byte) 255, 0, 85, (byte) 170},
                LabelPng.decode(resource("grey_2bit_5x2.png"), "g2").labels());
        assertArrayEquals(new byte[] {0, 1, 0, 1, 0, 1, 1, 0, 1, 0},
                LabelPng.decode(resource("grey_1bit_5x2.png"), "g1").labels());
    }

    @Test
    void vocPaletteHasTheKnownColours() {
        assertEquals(0x000000, VocPalette.rgb(0));
        assertEquals(0x800000, VocPalette.rgb(1)); // aeroplane
        assertEquals(0x008000, VocPalette.rgb(2)); // bicycle
        assertEquals(0xC08080, VocPalette.rgb(15)); // person
        assertEquals(0x004080, VocPalette.rgb(20)); // tvmonitor
        assertEquals(0xE0E0C0, VocPalette.rgb(255)); // ignore band
        assertEquals(15, VocPalette.indexOf(0xC08080));
        assertEquals(-1, VocPalette.indexOf(0x123456));
    }

    @Test
    void writeThenReadRoundTripsEveryIndexValue(@TempDir Path dir) throws IOException {
        SplittableRandom rng = new SplittableRandom(3);
        int w = 97;
        int h = 61;
        byte[] labels = new byte[w * h];
        for (int i = 0; i < labels.length; i++) {
            // runs of equal values and noise, so the encoder uses several row filters
            labels[i] = (byte) (i < 256 ? i : (i / 7) % 3 == 0 ? rng.nextInt(256) : (i / 50) % 21);
        }
        LabelMap map = new LabelMap(w, h, labels);
        Path file = dir.resolve("x.png");
        LabelPng.write(file, map);
        assertArrayEquals(labels, LabelPng.read(file).labels());
        // written as a palette PNG (colour type 3) in the VOC colours, as ImageIO sees it
        byte[] png = Files.readAllBytes(file);
        assertEquals(3, png[25]);
        BufferedImage img = ImageIO.read(file.toFile());
        assertEquals(VocPalette.rgb(labels[w + 5] & 0xff), img.getRGB(5, 1) & 0xffffff);
        Path grey = dir.resolve("g.png");
        LabelPng.writeGrey(grey, map);
        assertEquals(0, Files.readAllBytes(grey)[25]);
        assertArrayEquals(labels, LabelPng.read(grey).labels());
    }

    @Test
    void colourPngInPaletteColoursMapsBackToIndices() throws IOException {
        BufferedImage rgb = new BufferedImage(4, 3, BufferedImage.TYPE_INT_RGB);
        rgb.setRGB(1, 2, VocPalette.rgb(15));
        rgb.setRGB(3, 0, VocPalette.rgb(255));
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        ImageIO.write(rgb, "png", buf);
        byte[] expected = new byte[12];
        expected[2 * 4 + 1] = 15;
        expected[3] = (byte) 255;
        assertArrayEquals(expected, LabelPng.decode(buf.toByteArray(), "rgb").labels());
    }

    @Test
    void clearErrors(@TempDir Path dir) throws IOException {
        InvalidInputException missing = assertThrows(InvalidInputException.class,
                () -> LabelPng.read(dir.resolve("nope.png")));
        assertTrue(missing.getMessage().contains("nope.png") && missing.getMessage().contains("not found"));

        BufferedImage rgb = new BufferedImage(4, 3, BufferedImage.TYPE_INT_RGB);
        rgb.setRGB(2, 1, 0x123456);
        Path colour = dir.resolve("colour.png");
        ImageIO.write(rgb, "png", colour.toFile());
        InvalidInputException notPalette = assertThrows(InvalidInputException.class, () -> LabelPng.read(colour));
        assertTrue(notPalette.getMessage().contains("#123456") && notPalette.getMessage().contains("x=2, y=1"),
                notPalette.getMessage());

        // grey labels saved as RGB (OpenCV's imread then imwrite) or with alpha: refused, saying so
        BufferedImage greyRgb = new BufferedImage(4, 3, BufferedImage.TYPE_INT_RGB);
        greyRgb.setRGB(1, 1, 0x030303);
        Path greyAsRgb = dir.resolve("grey_rgb.png");
        ImageIO.write(greyRgb, "png", greyAsRgb.toFile());
        InvalidInputException asRgb = assertThrows(InvalidInputException.class, () -> LabelPng.read(greyAsRgb));
        assertTrue(asRgb.getMessage().contains("#030303 at pixel (x=1, y=1)")
                && asRgb.getMessage().contains("grey values as RGB"), asRgb.getMessage());
        InvalidInputException withAlpha = assertThrows(InvalidInputException.class,
                () -> LabelPng.decode(resource("pil_grey_alpha.png"), "la.png"));
        assertTrue(withAlpha.getMessage().contains("grey with an alpha channel"), withAlpha.getMessage());

        // a grey JPEG named .png: its noise near edges (14, 16 around 15) stayed within the classes, silently
        BufferedImage square = new BufferedImage(40, 40, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 10; y < 30; y++) {
            for (int x = 10; x < 30; x++) {
                square.getRaster().setSample(x, y, 0, 15);
            }
        }
        Path jpeg = dir.resolve("jpeg.png");
        ImageIO.write(square, "jpeg", jpeg.toFile());
        InvalidInputException lossy = assertThrows(InvalidInputException.class, () -> LabelPng.read(jpeg));
        assertTrue(lossy.getMessage().startsWith(jpeg + ": is a JPEG, not a PNG"), lossy.getMessage());

        Path junk = dir.resolve("junk.png");
        Files.writeString(junk, "this is not a png file at all, just text");
        assertThrows(InvalidInputException.class, () -> LabelPng.read(junk));
    }
}
