package ai.wsbcn.detection.coco.json;

import ai.wsbcn.detection.coco.mask.Rle;
import ai.wsbcn.util.JsonErrors;
import ai.wsbcn.util.InvalidInputException;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Typed reads from a streaming JSON reader that fail with the file, the entry and the field in the message. Values of
 * the wrong type are errors, except inside {@code segmentation}, which becomes {@link Segmentation.Invalid} with a
 * warning (box evaluation never looks at it, as in pycocotools).
 */
final class JsonInput {

    /** Reads one whole file; I/O and syntax errors become {@link InvalidInputException}s naming the file. */
    @FunctionalInterface
    interface Body<T> {
        T read(JsonInput in) throws IOException;
    }

    private final JsonReader reader;
    private final Problems problems;

    private JsonInput(JsonReader reader, Problems problems) {
        this.reader = reader;
        this.problems = problems;
    }

    static <T> T readFile(Path file, Problems problems, Body<T> body) {
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            JsonReader jr = new JsonReader(r);
            return body.read(new JsonInput(jr, problems));
        } catch (NoSuchFileException e) {
            throw new InvalidInputException(file + ": file not found");
        } catch (IOException | IllegalStateException | NumberFormatException e) {
            // truncated or malformed JSON: Gson's message has the line, column and JSON path
            throw new InvalidInputException(problems.source() + ": not valid JSON: " + JsonErrors.describe(e), e);
        }
    }

    Problems problems() {
        return problems;
    }

    JsonToken peek() throws IOException {
        return reader.peek();
    }

    boolean hasNext() throws IOException {
        return reader.hasNext();
    }

    String nextName() throws IOException {
        return reader.nextName();
    }

    void skipValue() throws IOException {
        reader.skipValue();
    }

    void beginObject(String where) throws IOException {
        expect(JsonToken.BEGIN_OBJECT, where, "expected an object");
        reader.beginObject();
    }

    void endObject() throws IOException {
        reader.endObject();
    }

    void beginArray(String where) throws IOException {
        expect(JsonToken.BEGIN_ARRAY, where, "expected a list");
        reader.beginArray();
    }

    void endArray() throws IOException {
        reader.endArray();
    }

    long id(String where, String field) throws IOException {
        return integer(where, field, "an integer id");
    }

    int positiveInt(String where, String field) throws IOException {
        long v = integer(where, field, "a positive integer");
        if (v <= 0 || v > Integer.MAX_VALUE) {
            throw problems.error(where, field + ": must be a positive integer, got " + v);
        }
        return (int) v;
    }

    private long integer(String where, String field, String what) throws IOException {
        expect(JsonToken.NUMBER, where, field + ": expected " + what);
        try {
            return reader.nextLong();
        } catch (NumberFormatException e) {
            throw problems.error(where, field + ": expected " + what);
        }
    }

    double number(String where, String field) throws IOException {
        expect(JsonToken.NUMBER, where, field + ": expected a number");
        double v = reader.nextDouble();
        if (!Double.isFinite(v)) {
            throw problems.error(where, field + ": not a finite number");
        }
        return v;
    }

    /** A string or {@code null}. */
    String string(String where, String field) throws IOException {
        if (reader.peek() == JsonToken.NULL) {
            reader.nextNull();
            return null;
        }
        expect(JsonToken.STRING, where, field + ": expected a string");
        return reader.nextString();
    }

    /** {@code iscrowd}: 0, 1, false or true. */
    boolean crowd(String where) throws IOException {
        if (reader.peek() == JsonToken.BOOLEAN) {
            return reader.nextBoolean();
        }
        long v = integer(where, "iscrowd", "0 or 1");
        if (v != 0 && v != 1) {
            throw problems.error(where, "iscrowd: must be 0 or 1, got " + v);
        }
        return v == 1;
    }

    /** A box {@code [x, y, w, h]}; anything else is an error. {@code null} for an empty list (see results). */
    double[] box(String where) throws IOException {
        expect(JsonToken.BEGIN_ARRAY, where, "bbox: expected [x, y, width, height]");
        reader.beginArray();
        double[] v = new double[4];
        int n = 0;
        while (reader.hasNext()) {
            if (n == 4) {
                throw problems.error(where, "bbox: expected 4 numbers, got more");
            }
            v[n] = number(where, "bbox[" + n + "]");
            n++;
        }
        reader.endArray();
        if (n == 0) {
            return null;
        }
        if (n != 4) {
            throw problems.error(where, "bbox: expected 4 numbers, got " + n);
        }
        return v;
    }

    /** A segmentation in any of COCO's forms; {@code null} for JSON null. */
    Segmentation segmentation(String where) throws IOException {
        JsonToken t = reader.peek();
        if (t == JsonToken.NULL) {
            reader.nextNull();
            return null;
        }
        if (t == JsonToken.BEGIN_ARRAY) {
            return polygons(where);
        }
        if (t == JsonToken.BEGIN_OBJECT) {
            return rle(where);
        }
        reader.skipValue();
        return invalid(where, "expected a list of polygons or an RLE object, got " + t);
    }

    private Segmentation polygons(String where) throws IOException {
        reader.beginArray();
        List<double[]> parts = new ArrayList<>();
        String problem = null;
        while (reader.hasNext()) {
            if (reader.peek() != JsonToken.BEGIN_ARRAY) {
                reader.skipValue();
                problem = problem != null ? problem : "expected a list of polygons [[x0, y0, x1, y1, ...], ...]";
                continue;
            }
            reader.beginArray();
            double[] xy = new double[16];
            int n = 0;
            while (reader.hasNext()) {
                if (reader.peek() != JsonToken.NUMBER) {
                    reader.skipValue();
                    problem = problem != null ? problem : "polygon " + parts.size() + " has a value that is not a number";
                    continue;
                }
                if (n == xy.length) {
                    xy = Arrays.copyOf(xy, 2 * n);
                }
                xy[n++] = reader.nextDouble();
            }
            reader.endArray();
            parts.add(Arrays.copyOf(xy, n));
        }
        reader.endArray();
        return problem == null ? new Segmentation.Polygons(parts) : invalid(where, problem);
    }

    private Segmentation rle(String where) throws IOException {
        reader.beginObject();
        long[] size = null;
        String compressed = null;
        long[] counts = null;
        String problem = null;
        while (reader.hasNext()) {
            String name = reader.nextName();
            JsonToken t = reader.peek();
            if (name.equals("size") && t == JsonToken.BEGIN_ARRAY) {
                size = integers();
            } else if (name.equals("counts") && t == JsonToken.STRING) {
                compressed = reader.nextString();
            } else if (name.equals("counts") && t == JsonToken.BEGIN_ARRAY) {
                counts = integers();
            } else {
                if (name.equals("size") || name.equals("counts")) {
                    problem = name + " has the wrong type " + t;
                }
                reader.skipValue();
            }
        }
        reader.endObject();
        if (problem != null) {
            return invalid(where, problem);
        }
        if (size == null || size.length != 2 || size[0] < 0 || size[1] < 0 || size[0] > Integer.MAX_VALUE
                || size[1] > Integer.MAX_VALUE) {
            return invalid(where, "RLE needs size [height, width] of two non-negative integers");
        }
        if (compressed == null && counts == null) {
            return invalid(where, "RLE needs counts (a string or a list of non-negative integers)");
        }
        int h = (int) size[0];
        int w = (int) size[1];
        if (compressed != null) {
            return new Segmentation.CompressedRle(h, w, compressed);
        }
        int[] c = new int[counts.length];
        for (int i = 0; i < c.length; i++) {
            if (counts[i] < 0 || counts[i] > 0xFFFFFFFFL) {
                return invalid(where, "RLE counts[" + i + "] = " + counts[i] + " is not an unsigned 32-bit count");
            }
            c[i] = (int) counts[i];
        }
        return new Segmentation.UncompressedRle(new Rle(h, w, c));
    }

    /** Integers of a list, or {@code null} when an element is not an integer. */
    private long[] integers() throws IOException {
        reader.beginArray();
        long[] v = new long[8];
        int n = 0;
        boolean ok = true;
        while (reader.hasNext()) {
            if (reader.peek() != JsonToken.NUMBER) {
                reader.skipValue();
                ok = false;
                continue;
            }
            double d = reader.nextDouble();
            if (d != Math.rint(d) || Math.abs(d) > 9.0e15) {
                ok = false;
                continue;
            }
            if (n == v.length) {
                v = Arrays.copyOf(v, 2 * n);
            }
            v[n++] = (long) d;
        }
        reader.endArray();
        return ok ? Arrays.copyOf(v, n) : null;
    }

    private Segmentation invalid(String where, String problem) {
        problems.warn(where, "segmentation: " + problem + "; masks of this entry cannot be used");
        return new Segmentation.Invalid(problems.describe(where, "segmentation: " + problem));
    }

    private void expect(JsonToken token, String where, String message) throws IOException {
        JsonToken t = reader.peek();
        if (t != token) {
            throw problems.error(where, message + ", got " + describe(t));
        }
    }

    private static String describe(JsonToken t) {
        switch (t) {
            case BEGIN_ARRAY:
                return "a list";
            case BEGIN_OBJECT:
                return "an object";
            case STRING:
                return "a string";
            case NUMBER:
                return "a number";
            case BOOLEAN:
                return "a boolean";
            case NULL:
                return "null";
            default:
                return t.toString();
        }
    }
}
