package ai.wsbcn.detection.coco.mask;

import java.util.Arrays;

/**
 * COCO's compressed RLE string ({@code rleToString} / {@code rleFrString}): each count, after the third, is stored as
 * the difference to the count two places before, then written like LEB128 with 5 value bits and a continuation bit
 * per character, offset into the printable range 48..111.
 */
public final class RleStrings {

    private RleStrings() {}

    /** Encodes unsigned 32-bit counts. */
    public static String encode(int[] counts) {
        StringBuilder sb = new StringBuilder(counts.length * 2);
        for (int i = 0; i < counts.length; i++) {
            long x = Integer.toUnsignedLong(counts[i]);
            if (i > 2) {
                x -= Integer.toUnsignedLong(counts[i - 2]);
            }
            boolean more = true;
            while (more) {
                int c = (int) (x & 0x1f);
                x >>= 5;
                more = (c & 0x10) != 0 ? x != -1 : x != 0;
                if (more) {
                    c |= 0x20;
                }
                sb.append((char) (c + 48));
            }
        }
        return sb.toString();
    }

    /** Decodes a compressed string into unsigned 32-bit counts. */
    public static int[] decode(CharSequence s) {
        int[] cnts = new int[s.length()];
        int m = 0;
        CountCursor cursor = new CountCursor(s);
        while (cursor.hasNext()) {
            cnts[m++] = (int) cursor.next();
        }
        return Arrays.copyOf(cnts, m);
    }

    /**
     * Sum of the counts and the foreground area of a compressed string, without building the counts array (for
     * validating large results files): {@code {sum, area}}. The area is unsigned 32-bit as {@code rleArea} gives it.
     */
    public static long[] sumAndArea(CharSequence s) {
        long sum = 0;
        long area = 0;
        CountCursor cursor = new CountCursor(s);
        for (int m = 0; cursor.hasNext(); m++) {
            long count = cursor.next();
            sum += count;
            if ((m & 1) == 1) {
                area += count;
            }
        }
        return new long[] {sum, area & 0xFFFFFFFFL};
    }

    /** Reads the counts one by one; keeps the two previous counts that the deltas refer to. */
    private static final class CountCursor {
        private final CharSequence s;
        private int p;
        private int m;
        private long prev1;
        private long prev2;

        CountCursor(CharSequence s) {
            this.s = s;
        }

        boolean hasNext() {
            return p < s.length();
        }

        /** The next count as an unsigned 32-bit value ({@code rleFrString} arithmetic, in 64 bits). */
        long next() {
            int n = s.length();
            long x = 0;
            int k = 0;
            boolean more = true;
            while (more) {
                if (p >= n) {
                    throw new IllegalArgumentException("compressed RLE ends inside a count at character " + p);
                }
                int c = s.charAt(p) - 48;
                if (c < 0 || c > 63) {
                    throw new IllegalArgumentException("compressed RLE has an invalid character '" + s.charAt(p)
                            + "' at " + p + pythonBytesHint(s));
                }
                x |= ((long) (c & 0x1f)) << (5 * k);
                more = (c & 0x20) != 0;
                p++;
                k++;
                if (!more && (c & 0x10) != 0) {
                    x |= -1L << (5 * k);
                }
            }
            if (m > 2) {
                x += prev2;
            }
            long count = x & 0xFFFFFFFFL;
            prev2 = prev1;
            prev1 = count;
            m++;
            return count;
        }
    }

    /**
     * pycocotools' {@code encode} returns counts as Python bytes; {@code str(counts)} writes them as {@code "b'...'"},
     * a mistake worth naming since the message is otherwise about a character in the middle of the string.
     */
    private static String pythonBytesHint(CharSequence s) {
        return s.length() > 1 && s.charAt(0) == 'b' && (s.charAt(1) == '\'' || s.charAt(1) == '"')
                ? " (this looks like str() of Python bytes: write counts.decode('ascii') instead)" : "";
    }
}
