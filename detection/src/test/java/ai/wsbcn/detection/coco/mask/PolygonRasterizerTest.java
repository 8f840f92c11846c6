package ai.wsbcn.detection.coco.mask;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Polygon rasterisation against pycocotools. Every expected string, area, box and picture below was produced by
 * pycocotools 2.0.11 (built from github.com/ppwwyyxx/cocoapi with its maskApi.c) with
 * {@code mask.frPyObjects(polys, h, w)} (merged with {@code mask.merge} for several parts), {@code mask.area},
 * {@code mask.toBbox} and {@code mask.decode}.
 */
class PolygonRasterizerTest {

    private static Rle poly(int h, int w, double... xy) {
        return Rle.fromPolygon(xy, h, w);
    }

    private static void assertMask(Rle r, String counts, long area, double[] bbox, String... rows) {
        assertEquals(counts, r.toCompressedString(), "compressed counts");
        assertEquals(area, r.area(), "area");
        assertArrayEquals(bbox, r.toBbox(), "bbox");
        assertEquals(String.join("\n", rows), picture(r));
    }

    static String picture(Rle r) {
        byte[] m = r.decodeRowMajor();
        StringBuilder sb = new StringBuilder();
        for (int y = 0; y < r.height(); y++) {
            if (y > 0) {
                sb.append('\n');
            }
            for (int x = 0; x < r.width(); x++) {
                sb.append(m[y * r.width() + x] != 0 ? '#' : '.');
            }
        }
        return sb.toString();
    }

    @Test
    void integerSquareCoversPixelsWhoseCentresAreInside() {
        assertMask(poly(8, 8, 1, 1, 5, 1, 5, 5, 1, 5), "94400000g0", 16, new double[] {1, 1, 4, 4},
                "........",
                ".####...",
                ".####...",
                ".####...",
                ".####...",
                "........",
                "........",
                "........");
    }

    @Test
    void halfPixelTriangle() {
        assertMask(poly(8, 8, 0.5, 0.5, 6.5, 1.5, 2.5, 6.5), "9263MO1O1O`0", 16, new double[] {1, 1, 5, 5},
                "........",
                ".#####..",
                ".#####..",
                "..###...",
                "..##....",
                "..#.....",
                "........",
                "........");
    }

    @Test
    void selfIntersectingBowTie() {
        assertMask(poly(9, 9, 0, 0, 8, 8, 8, 0, 0, 8), "073N2N2N10O2N2N28", 32, new double[] {0, 0, 8, 7},
                "#......#.",
                "##....##.",
                "###..###.",
                "########.",
                "###..###.",
                "##....##.",
                "#......#.",
                ".........",
                ".........");
    }

    @Test
    void polygonPartlyOutsideTheImageIsClipped() {
        assertMask(poly(7, 8, -3, -2, 6.3, -1, 12, 4.7, 3, 9.9), "052\\1", 54, new double[] {0, 0, 8, 7},
                "########",
                "########",
                "########",
                "########",
                "########",
                ".#######",
                ".#######");
    }

    @Test
    void repeatedVertex() {
        assertMask(poly(10, 10, 2, 2, 2, 2, 7, 3, 7, 3, 4, 8), "f0193M10M2Ol0", 13, new double[] {2, 2, 5, 5},
                "..........",
                "..........",
                "..###.....",
                "...####...",
                "...###....",
                "...##.....",
                "....#.....",
                "..........",
                "..........",
                "..........");
    }

    @Test
    void subPixelPolygonStillGetsOnePixel() {
        assertMask(poly(6, 6, 3.2, 3.3, 3.7, 3.4, 3.5, 3.9), "e01>", 1, new double[] {3, 3, 1, 1},
                "......",
                "......",
                "......",
                "...#..",
                "......",
                "......");
    }

    @Test
    void concaveStar() {
        assertMask(poly(10, 10, 5, 0, 6.2, 3.4, 9.8, 3.5, 7, 5.6, 8, 9.1, 5, 7, 2, 9.1, 3, 5.6, 0.2, 3.5, 3.8, 3.4),
                "g022023O1102OOMM0c0", 30, new double[] {2, 1, 6, 8},
                "..........",
                "....##....",
                "....##....",
                "..######..",
                "..######..",
                "...####...",
                "...####...",
                "..##..##..",
                "..#....#..",
                "..........");
    }

    @Test
    void thinSliver() {
        assertMask(poly(4, 10, 0, 0, 9, 0.3, 0, 0.6), "01300000h0", 4, new double[] {0, 0, 4, 1},
                "####......",
                "..........",
                "..........",
                "..........");
    }

    @Test
    void overlappingPartsMergeAsUnion() {
        Rle a = poly(7, 7, 0, 0, 3, 0, 3, 3, 0, 3);
        Rle b = poly(7, 7, 2, 2, 6, 2, 6, 6, 2, 6);
        assertMask(Rle.merge(List.of(a, b), false), "034003ON00005", 24, new double[] {0, 0, 6, 6},
                "###....",
                "###....",
                "######.",
                "..####.",
                "..####.",
                "..####.",
                ".......");
    }

    @Test
    void fractionalBoxIsTheFourCornerPolygon() {
        // pycocotools: mask.frPyObjects(np.array([[1.3, 0.6, 3.4, 2.2]]), 5, 6)
        Rle box = Rle.fromBox(new double[] {1.3, 0.6, 3.4, 2.2}, 5, 6);
        assertEquals("623000004", box.toCompressedString());
        assertEquals(box, poly(5, 6, 1.3, 0.6, 1.3, 2.8, 4.7, 2.8, 4.7, 0.6));
        assertEquals(String.join("\n", "......", ".####.", ".####.", "......", "......"), picture(box));
    }

    @Test
    void degeneratePolygonsGiveEmptyMasks() {
        assertEquals(0, poly(5, 5, 1, 1, 1, 1, 1, 1).area(), "all vertices equal");
        assertEquals(0, poly(5, 5).area(), "no vertices");
        assertEquals(1, poly(5, 5).runs());
    }
}
