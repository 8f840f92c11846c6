package ai.wsbcn.pretrained.data;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Names the JPEG files that end early. OpenCV decodes a truncated JPEG without failing (the missing rows come out
 * grey) and libjpeg's only word is an unnamed "Premature end of JPEG file" on stderr; a data set with such files
 * trains on grey patches unnoticed. A complete JPEG has its end marker (FF D9) after its last start-of-scan marker
 * (FF DA), and neither can occur inside the compressed data (an FF there is always followed by 00 or a restart
 * marker), so the check is exact. A warning per file, once: the image is still usable, as far as it goes.
 */
public final class TruncatedJpegs {

    private static final Logger LOG = LoggerFactory.getLogger(TruncatedJpegs.class);
    private static final Set<Path> WARNED = ConcurrentHashMap.newKeySet();
    /** Bytes read from the end first; room for the trailing data some cameras append after the end marker. */
    private static final int TAIL = 4096;

    private TruncatedJpegs() {}

    /** Warns (once per file) when {@code file} is a JPEG that ends before its end marker; returns whether it does. */
    public static boolean warnIfTruncated(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (!name.endsWith(".jpg") && !name.endsWith(".jpeg")) {
            return false;
        }
        try {
            // every image of every step passes here: a complete JPEG shows its end marker in its last bytes, and
            // only a file that does not is read whole
            if (endsWithEndMarker(tail(file)) || !endsEarly(Files.readAllBytes(file))) {
                return false;
            }
        } catch (IOException e) {
            return false; // the decoder has read it; a failure here is not this check's to report
        }
        if (WARNED.add(file.toAbsolutePath())) {
            LOG.warn("{}: JPEG ends before its end marker (truncated?); its missing part is decoded as grey", file);
        }
        return true;
    }

    private static byte[] tail(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file)) {
            long size = ch.size();
            ByteBuffer buf = ByteBuffer.allocate((int) Math.min(size, TAIL));
            long from = size - buf.capacity();
            while (buf.hasRemaining() && ch.read(buf, from + buf.position()) >= 0) {
                // a positional read may return fewer bytes than asked
            }
            return buf.array();
        }
    }

    /** Scanning back from the end: an end marker met before any start-of-scan marker. */
    static boolean endsWithEndMarker(byte[] tail) {
        for (int i = tail.length - 2; i >= 0; i--) {
            if (tail[i] == (byte) 0xFF && tail[i + 1] == (byte) 0xD9) {
                return true;
            }
            if (tail[i] == (byte) 0xFF && tail[i + 1] == (byte) 0xDA) {
                return false;
            }
        }
        return false;
    }

    static boolean endsEarly(byte[] b) {
        int lastScan = -1;
        for (int i = 0; i + 1 < b.length; i++) {
            if (b[i] == (byte) 0xFF && b[i + 1] == (byte) 0xDA) {
                lastScan = i;
            }
        }
        if (lastScan < 0) {
            return false; // no scan at all: the decoder has refused it already
        }
        for (int i = lastScan + 2; i + 1 < b.length; i++) {
            if (b[i] == (byte) 0xFF && b[i + 1] == (byte) 0xD9) {
                return false;
            }
        }
        return true;
    }
}
