package ai.wsbcn.pretrained.io;

import ai.wsbcn.util.AtomicFiles;
import ai.wsbcn.util.InvalidInputException;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/** numpy {@code .npz} archives (stored or deflated) of little-endian C-order arrays. */
public final class Npz {

    private static final Pattern DESCR = Pattern.compile("'descr':\\s*'([<>|=])([a-z])(\\d+)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order':\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape':\\s*\\(([^)]*)\\)");

    private Npz() {}

    public static Map<String, TensorData> read(Path file) throws IOException {
        Map<String, TensorData> out = new LinkedHashMap<>();
        try (ZipFile zip = new ZipFile(file.toFile())) {
            for (ZipEntry e : java.util.Collections.list(zip.entries())) {
                String name = e.getName().endsWith(".npy") ? e.getName().substring(0, e.getName().length() - 4)
                        : e.getName();
                try (InputStream in = zip.getInputStream(e)) {
                    out.put(name, readNpy(in.readAllBytes(), file + ":" + e.getName()));
                }
            }
        }
        return out;
    }

    static TensorData readNpy(byte[] bytes, String where) {
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        if (bytes.length < 10 || bytes[0] != (byte) 0x93 || bytes[1] != 'N') {
            throw new InvalidInputException(where + ": not an .npy array");
        }
        int major = bytes[6];
        b.position(8);
        int headerLen = major == 1 ? b.getShort() & 0xffff : b.getInt();
        String header = new String(bytes, b.position(), headerLen, StandardCharsets.ISO_8859_1);
        int dataStart = b.position() + headerLen;
        Matcher d = DESCR.matcher(header);
        Matcher f = FORTRAN.matcher(header);
        Matcher s = SHAPE.matcher(header);
        if (!d.find() || !f.find() || !s.find()) {
            throw new InvalidInputException(where + ": unreadable .npy header " + header.trim());
        }
        if (f.group(1).equals("True")) {
            throw new InvalidInputException(where + ": Fortran-order arrays are not supported");
        }
        if (d.group(1).equals(">")) {
            throw new InvalidInputException(where + ": big-endian arrays are not supported");
        }
        TensorData.Type type = type(d.group(2), Integer.parseInt(d.group(3)), where);
        String[] dims = s.group(1).split(",");
        long[] shape = java.util.Arrays.stream(dims).map(String::trim).filter(x -> !x.isEmpty())
                .mapToLong(Long::parseLong).toArray();
        ByteBuffer data = ByteBuffer.wrap(bytes, dataStart, bytes.length - dataStart).slice();
        return new TensorData(type, shape, data);
    }

    private static TensorData.Type type(String kind, int size, String where) {
        switch (kind + size) {
            case "f4":
                return TensorData.Type.FLOAT32;
            case "f8":
                return TensorData.Type.FLOAT64;
            case "f2":
                return TensorData.Type.FLOAT16;
            case "i8":
                return TensorData.Type.INT64;
            case "i4":
                return TensorData.Type.INT32;
            case "i2":
                return TensorData.Type.INT16;
            case "i1":
                return TensorData.Type.INT8;
            case "u1":
                return TensorData.Type.UINT8;
            case "b1":
                return TensorData.Type.BOOL;
            default:
                throw new InvalidInputException(where + ": unsupported dtype " + kind + size);
        }
    }

    /** Writes float32 arrays as an uncompressed {@code .npz}, atomically. */
    public static void write(Path file, Map<String, TensorData> tensors) throws IOException {
        AtomicFiles.write(file, raw -> {
            ZipOutputStream zip = new ZipOutputStream(raw);
            for (Map.Entry<String, TensorData> e : tensors.entrySet()) {
                TensorData t = e.getValue();
                String descr = switch (t.type()) {
                    case FLOAT32 -> "<f4";
                    case FLOAT64 -> "<f8";
                    case INT64 -> "<i8";
                    case INT32 -> "<i4";
                    case UINT8 -> "|u1";
                    default -> throw new InvalidInputException(e.getKey() + ": cannot write " + t.type() + " to npz");
                };
                StringBuilder shape = new StringBuilder();
                for (long d : t.shape()) {
                    shape.append(d).append(", ");
                }
                String dict = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': ("
                        + (t.shape().length == 1 ? shape.toString().trim() : shape.toString().replaceAll(", $", ""))
                        + "), }";
                int total = 10 + dict.length() + 1;
                int pad = (64 - total % 64) % 64;
                String header = dict + " ".repeat(pad) + "\n";
                zip.putNextEntry(new ZipEntry(e.getKey() + ".npy"));
                zip.write(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0});
                zip.write(ByteBuffer.allocate(2).order(ByteOrder.LITTLE_ENDIAN).putShort((short) header.length())
                        .array());
                zip.write(header.getBytes(StandardCharsets.ISO_8859_1));
                ByteBuffer b = t.bytes();
                byte[] bytes = new byte[b.remaining()];
                b.get(bytes);
                zip.write(bytes);
                zip.closeEntry();
            }
            zip.finish();
        });
    }
}
