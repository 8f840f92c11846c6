package ai.wsbcn.pretrained.data;

import ai.wsbcn.util.InvalidInputException;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * One IDX file (the format of MNIST and Fashion-MNIST) of unsigned bytes: its dimensions and its data.
 *
 * <p>Gzip is recognised by its magic number, not by the file name, so renamed files still load. The header is
 * {@code 0x00 0x00 <type> <ndims>} followed by {@code ndims} big-endian int32 sizes; only type {@code 0x08}
 * (unsigned byte) is used by these data sets.
 */
public final class IdxFile {

    private static final int UNSIGNED_BYTE = 0x08;
    private static final int MAX_DIMS = 4;

    private final Path path;
    private final int[] dims;
    private final byte[] data;

    private IdxFile(Path path, int[] dims, byte[] data) {
        this.path = path;
        this.dims = dims;
        this.data = data;
    }

    /** Reads a whole IDX file, gzip-compressed or not. */
    public static IdxFile read(Path path) {
        if (!Files.isRegularFile(path)) {
            throw new InvalidInputException(path + ": IDX file not found");
        }
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(path), 1 << 16)) {
            try (DataInputStream in = new DataInputStream(maybeGunzip(raw))) {
                return read(path, in);
            }
        } catch (ZipException | EOFException e) {
            throw new InvalidInputException(path + ": truncated or corrupt gzip stream (" + e.getMessage() + ")", e);
        } catch (IOException e) {
            throw new InvalidInputException(path + ": cannot read IDX file (" + e.getMessage() + ")", e);
        }
    }

    private static InputStream maybeGunzip(InputStream raw) throws IOException {
        raw.mark(2);
        int b0 = raw.read();
        int b1 = raw.read();
        raw.reset();
        return b0 == 0x1f && b1 == 0x8b ? new GZIPInputStream(raw, 1 << 16) : raw;
    }

    private static IdxFile read(Path path, DataInputStream in) throws IOException {
        byte[] magic = new byte[4];
        int got = in.readNBytes(magic, 0, 4);
        if (got < 4) {
            throw new InvalidInputException(path + ": truncated IDX header (" + got + " of 4 magic bytes)");
        }
        int type = magic[2] & 0xff;
        int ndims = magic[3] & 0xff;
        if (magic[0] != 0 || magic[1] != 0 || ndims == 0 || ndims > MAX_DIMS) {
            throw new InvalidInputException(String.format(
                    "%s: bad IDX magic number 0x%02x%02x%02x%02x (expected 0x0000TTNN with NN = 1..%d dimensions)",
                    path, magic[0], magic[1], magic[2], magic[3], MAX_DIMS));
        }
        if (type != UNSIGNED_BYTE) {
            throw new InvalidInputException(String.format(
                    "%s: IDX data type 0x%02x is not supported (only 0x08, unsigned byte)", path, type));
        }
        int[] dims = new int[ndims];
        long count = 1;
        for (int d = 0; d < ndims; d++) {
            byte[] b = new byte[4];
            if (in.readNBytes(b, 0, 4) < 4) {
                throw new InvalidInputException(path + ": truncated IDX header (size of dimension " + d + " missing)");
            }
            dims[d] = ((b[0] & 0xff) << 24) | ((b[1] & 0xff) << 16) | ((b[2] & 0xff) << 8) | (b[3] & 0xff);
            if (dims[d] < 0) {
                throw new InvalidInputException(path + ": negative size " + dims[d] + " of dimension " + d);
            }
            count *= dims[d];
        }
        if (count > Integer.MAX_VALUE - 8) {
            throw new InvalidInputException(path + ": " + count + " elements " + Arrays.toString(dims) + " is too large");
        }
        byte[] data = new byte[(int) count];
        int read = in.readNBytes(data, 0, data.length);
        if (read < data.length) {
            throw new InvalidInputException(String.format(
                    "%s: truncated IDX file: dimensions %s need %d data bytes, found %d",
                    path, Arrays.toString(dims), data.length, read));
        }
        if (in.read() != -1) {
            throw new InvalidInputException(String.format(
                    "%s: unexpected data after the %d bytes that dimensions %s describe",
                    path, data.length, Arrays.toString(dims)));
        }
        return new IdxFile(path, dims, data);
    }

    public Path path() {
        return path;
    }

    /** The dimensions, outermost first (e.g. {@code [60000, 28, 28]}). */
    public int[] dims() {
        return dims.clone();
    }

    /** The number of items along the first dimension. */
    public int count() {
        return dims[0];
    }

    /** The size of one item (the product of all but the first dimension). */
    public int itemSize() {
        int size = 1;
        for (int d = 1; d < dims.length; d++) {
            size *= dims[d];
        }
        return size;
    }

    /** Element {@code i} as an unsigned value 0..255. */
    public int unsigned(int i) {
        return data[i] & 0xff;
    }

    /** The raw data; not copied, do not modify. */
    byte[] data() {
        return data;
    }
}
