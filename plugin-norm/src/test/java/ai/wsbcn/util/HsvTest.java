package ai.wsbcn.util;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.junit.jupiter.api.Test;

class HsvTest {

    @Test
    void sextantsAndGreysByHand() {
        assertArrayEquals(new int[] {255, 0, 0}, Hsv.toRgb(0, 1, 1));
        assertArrayEquals(new int[] {255, 255, 0}, Hsv.toRgb(1, 1, 1));
        assertArrayEquals(new int[] {0, 255, 0}, Hsv.toRgb(2, 1, 1));
        assertArrayEquals(new int[] {0, 255, 255}, Hsv.toRgb(3, 1, 1));
        assertArrayEquals(new int[] {0, 0, 255}, Hsv.toRgb(4, 1, 1));
        assertArrayEquals(new int[] {255, 0, 255}, Hsv.toRgb(5, 1, 1));
        // half way from red to yellow, half saturated, value 0.8: (0.8, 0.6, 0.4) * 255
        assertArrayEquals(new int[] {204, 153, 102}, Hsv.toRgb(0.5, 0.5, 0.8));
        assertArrayEquals(new int[] {128, 128, 128}, Hsv.toRgb(3.7, 0, 0.5));
    }
}
