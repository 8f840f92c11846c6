package ai.wsbcn.pretrained.data;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

/** Writes small IDX files for tests. */
final class IdxFiles {

    private IdxFiles() {}

    static byte[] encode(int[] dims, byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0);
        out.write(0);
        out.write(0x08);
        out.write(dims.length);
        for (int d : dims) {
            out.write(d >>> 24);
            out.write(d >>> 16);
            out.write(d >>> 8);
            out.write(d);
        }
        out.writeBytes(data);
        return out.toByteArray();
    }

    static Path write(Path file, byte[] bytes, boolean gzip) throws IOException {
        try (OutputStream out = gzip ? new GZIPOutputStream(Files.newOutputStream(file)) : Files.newOutputStream(file)) {
            out.write(bytes);
        }
        return file;
    }

    /**
     * An MNIST-style split in {@code dir}: {@code n} images of {@code h x w} with pixel {@code (i*7 + k) % 256}
     * (k the pixel's position in the image) and label {@code i % 10}.
     */
    static void writeSplit(Path dir, Split split, int n, int h, int w, boolean gzip) throws IOException {
        byte[] pixels = new byte[n * h * w];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < h * w; k++) {
                pixels[i * h * w + k] = (byte) pixel(i, k);
            }
        }
        byte[] labels = new byte[n];
        for (int i = 0; i < n; i++) {
            labels[i] = (byte) (i % 10);
        }
        String gz = gzip ? ".gz" : "";
        write(dir.resolve(split.filePrefix() + "-images-idx3-ubyte" + gz), encode(new int[] {n, h, w}, pixels), gzip);
        write(dir.resolve(split.filePrefix() + "-labels-idx1-ubyte" + gz), encode(new int[] {n}, labels), gzip);
    }

    static int pixel(int i, int k) {
        return (i * 7 + k) % 256;
    }
}
