package ai.wsbcn.detection.coco.mask;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** RLE codecs. Expected compressed strings and boxes come from pycocotools 2.0.11 (see each test). */
class RleTest {

    @Test
    void encodeRunsAreColumnMajorAndStartWithBackground() {
        // 3x4 mask, row-major:  .##.
        //                       ###.
        //                       .#..
        byte[] rowMajor = {0, 1, 1, 0, 1, 1, 1, 0, 0, 1, 0, 0};
        Rle r = Rle.encodeRowMajor(rowMajor, 3, 4);
        // columns top to bottom: 010 | 111 | 110 | 000 -> runs 1 0, 1 1, 1 1 1 1 1, 1 0 ... = [1, 1, 1, 5, 4]
        assertArrayEquals(new int[] {1, 1, 1, 5, 4}, r.counts());
        assertEquals(6, r.area());
        assertArrayEquals(new double[] {0, 0, 3, 3}, r.toBbox());
        assertArrayEquals(rowMajor, r.decodeRowMajor());
        assertArrayEquals(new byte[] {0, 1, 0, 1, 1, 1, 1, 1, 0, 0, 0, 0}, r.decode());
        assertEquals(r, Rle.encode(r.decode(), 3, 4));
    }

    @Test
    void randomMasksRoundTripThroughBothOrdersAndTheString() {
        Random rnd = new Random(3);
        for (int trial = 0; trial < 200; trial++) {
            int h = 1 + rnd.nextInt(20);
            int w = 1 + rnd.nextInt(20);
            double density = rnd.nextDouble();
            byte[] m = new byte[h * w];
            for (int i = 0; i < m.length; i++) {
                m[i] = (byte) (rnd.nextDouble() < density ? 1 : 0);
            }
            Rle r = Rle.encodeRowMajor(m, h, w);
            assertTrue(r.isComplete());
            assertArrayEquals(m, r.decodeRowMajor());
            assertEquals(r, Rle.encode(r.decode(), h, w));
            assertEquals(r, Rle.fromCompressedString(r.toCompressedString(), h, w));
            int ones = 0;
            for (byte b : m) {
                ones += b;
            }
            assertEquals(ones, r.area());
        }
    }

    @Test
    void compressedStringMatchesPycocotools() {
        // mask.frPyObjects({'size': [1000, 1000], 'counts': [123456, 7, 776537, 100000]}, 1000, 1000)['counts']
        Rle big = new Rle(1000, 1000, new int[] {123456, 7, 776537, 100000});
        assertEquals("Pbh37iZfg0idQ3", big.toCompressedString());
        assertEquals(big, Rle.fromCompressedString("Pbh37iZfg0idQ3", 1000, 1000));
        // {'size': [3, 4], 'counts': [0, 5, 2, 3, 2]}: 'counts' b'052N0', toBbox [0, 0, 4, 3], area 8
        Rle small = new Rle(3, 4, new int[] {0, 5, 2, 3, 2});
        assertEquals("052N0", small.toCompressedString());
        assertArrayEquals(new double[] {0, 0, 4, 3}, small.toBbox());
        assertEquals(8, small.area());
    }

    @Test
    void unsignedCountsAboveTwoToTheThirtyOneSurviveTheString() {
        Rle r = new Rle(65536, 65536, new int[] {(int) 3_000_000_000L, 5, (int) (4_294_967_296L - 3_000_000_005L)});
        assertEquals(3_000_000_000L, r.count(0));
        Rle back = Rle.fromCompressedString(r.toCompressedString(), 65536, 65536);
        assertEquals(r, back);
        assertTrue(back.isComplete());
    }

    @Test
    void malformedStringsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> RleStrings.decode("0 1"));
        // '`' (96) has the continuation bit set, so the string ends inside a count
        assertThrows(IllegalArgumentException.class, () -> RleStrings.decode("0`"));
    }

    @Test
    void sumAndAreaReadTheStringWithoutDecodingIt() {
        Rle r = Rle.fromPolygon(new double[] {1, 1, 30, 2, 12, 25}, 28, 33);
        long[] sa = RleStrings.sumAndArea(r.toCompressedString());
        assertEquals(28 * 33, sa[0]);
        assertEquals(r.area(), sa[1]);
    }

    @Test
    void bboxOfZeroLengthRunsFollowsPycocotools208() {
        // pycocotools 2.0.11: toBbox of {'size': [3, 4], 'counts': [2, 0, 3, 2, 5]} is [1, 0, 2, 3]
        assertArrayEquals(new double[] {1, 0, 2, 3}, new Rle(3, 4, new int[] {2, 0, 3, 2, 5}).toBbox());
        // ... and of {'size': [3, 4], 'counts': [5, 0, 7]} (no foreground) [4, 3, 4294967293, 4294967294]
        assertArrayEquals(new double[] {4, 3, 4294967293.0, 4294967294.0},
                new Rle(3, 4, new int[] {5, 0, 7}).toBbox());
        assertArrayEquals(new double[] {0, 0, 0, 0}, new Rle(3, 4, new int[] {12}).toBbox());
    }

    @Test
    void mergeUnionAndIntersection() {
        byte[] a = {1, 1, 0, 0, 1, 1, 0, 0, 0};
        byte[] b = {0, 1, 1, 0, 1, 0, 0, 0, 1};
        Rle ra = Rle.encode(a, 3, 3);
        Rle rb = Rle.encode(b, 3, 3);
        assertArrayEquals(new byte[] {1, 1, 1, 0, 1, 1, 0, 0, 1}, Rle.merge(List.of(ra, rb), false).decode());
        assertArrayEquals(new byte[] {0, 1, 0, 0, 1, 0, 0, 0, 0}, Rle.merge(List.of(ra, rb), true).decode());
        assertEquals(ra, Rle.merge(List.of(ra), false));
        Rle other = Rle.encode(new byte[4], 2, 2);
        Rle mismatch = Rle.merge(List.of(ra, other), false);
        assertEquals(0, mismatch.height());
        assertEquals(0, mismatch.runs());
        assertEquals(0, Rle.merge(List.of(), false).width());
    }

    @Test
    void incompleteCountsAreDetectedAndNotDecoded() {
        Rle r = new Rle(2, 2, new int[] {1, 2});
        assertFalse(r.isComplete());
        assertEquals(3, r.countSum());
        assertThrows(IllegalArgumentException.class, r::decode);
    }
}
