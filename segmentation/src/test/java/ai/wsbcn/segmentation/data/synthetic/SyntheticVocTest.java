package ai.wsbcn.segmentation.data.synthetic;

import ai.wsbcn.segmentation.data.LabelMap;
import ai.wsbcn.segmentation.data.SegmentationSample;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Exact labels, the 255 band and determinism of the synthetic VOC generator. */
class SyntheticVocTest {

    @Test
    void labelsAreExactAndBandedAlongBoundaries() {
        SyntheticVoc gen = SyntheticVoc.builder().optImageSize(64, 48).optBand(1).optSeed(5).build();
        SyntheticVoc noBand = SyntheticVoc.builder().optImageSize(64, 48).optBand(0).optSeed(5).build();
        int[] seen = new int[256];
        for (int i = 0; i < 20; i++) {
            SegmentationSample a = gen.render(SyntheticVoc.Split.TRAIN, i);
            SegmentationSample raw = noBand.render(SyntheticVoc.Split.TRAIN, i);
            assertArrayEquals(a.image().rgb(), raw.image().rgb(), "the band only changes labels");
            LabelMap l = a.label();
            LabelMap r = raw.label();
            for (int y = 0; y < 48; y++) {
                for (int x = 0; x < 64; x++) {
                    int v = l.get(x, y);
                    seen[v]++;
                    boolean boundary = false;
                    for (int dy = -1; dy <= 1; dy++) {
                        for (int dx = -1; dx <= 1; dx++) {
                            int xx = x + dx;
                            int yy = y + dy;
                            if (xx >= 0 && yy >= 0 && xx < 64 && yy < 48 && r.get(xx, yy) != r.get(x, y)) {
                                boundary = true;
                            }
                        }
                    }
                    assertEquals(boundary ? 255 : r.get(x, y), v, "pixel " + x + "," + y + " of image " + i);
                    assertTrue(r.get(x, y) < gen.numClasses());
                }
            }
        }
        for (int c = 0; c < gen.numClasses(); c++) {
            assertTrue(seen[c] > 0, "class " + c + " appears");
        }
        assertTrue(seen[255] > 0);
    }

    @Test
    void imagesDependOnlyOnSeedSplitAndIndex() {
        SyntheticVoc a = SyntheticVoc.builder().optSeed(9).build();
        SyntheticVoc b = SyntheticVoc.builder().optSeed(9).build();
        assertArrayEquals(a.render(SyntheticVoc.Split.VAL, 3).image().rgb(),
                b.render(SyntheticVoc.Split.VAL, 3).image().rgb());
        assertTrue(!java.util.Arrays.equals(a.render(SyntheticVoc.Split.VAL, 3).label().labels(),
                a.render(SyntheticVoc.Split.TRAIN, 3).label().labels()));
        assertEquals(6, a.numClasses());
        assertEquals("disc", a.classNames().get(1));
    }
}
