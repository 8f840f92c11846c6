package ai.wsbcn.util;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;

import java.nio.ByteBuffer;
import java.nio.FloatBuffer;

/**
 * Overwrites the contents of an existing array (a parameter, a running estimate) in place, whatever its memory
 * layout.
 *
 * <p>Why not {@code NDArray.set(Buffer)}: on MXNet with MKL-DNN, an inference-mode convolution re-lays its weight
 * out in place in oneDNN's blocked format (so later inference passes skip the reorder), and MXNet then refuses a
 * host write into that array ("We can't generate TBlob for MKLDNN data"). Loading a checkpoint after an evaluation
 * pass would fail. Copying from a fresh array with the engine's own copy operator handles every layout, on every
 * engine, and keeps the array object (and with it the parameter and its gradient) the same.
 */
public final class ArrayOverwrite {

    private ArrayOverwrite() {}

    /** Copies {@code src} (converted to {@code dst}'s data type) into {@code dst}; the shapes must match. */
    public static void from(NDArray src, NDArray dst) {
        if (!src.getShape().equals(dst.getShape())) {
            throw new IllegalArgumentException("cannot overwrite an array of shape " + dst.getShape()
                    + " with one of shape " + src.getShape());
        }
        NDArray typed = src.getDataType() == dst.getDataType() ? src : src.toType(dst.getDataType(), true);
        try {
            if (typed.getManager().getEngine() == dst.getManager().getEngine()) {
                typed.copyTo(dst);
            } else {
                bytes(dst, typed.toByteBuffer());
            }
        } finally {
            if (typed != src) {
                typed.close();
            }
        }
    }

    /** Writes {@code values} (row-major, {@code dst.size()} of them) into {@code dst}, converting to its type. */
    public static void floats(NDArray dst, float[] values) {
        if (values.length != dst.size()) {
            throw new IllegalArgumentException("cannot overwrite an array of shape " + dst.getShape() + " ("
                    + dst.size() + " values) with " + values.length + " values");
        }
        try (NDArray src = dst.getManager().create(FloatBuffer.wrap(values), dst.getShape(), DataType.FLOAT32)) {
            from(src, dst);
        }
    }

    /** Writes raw values of {@code dst}'s data type, in native byte order as {@code NDArray.set} takes them. */
    public static void bytes(NDArray dst, ByteBuffer data) {
        long expected = dst.size() * dst.getDataType().getNumOfBytes();
        if (data.remaining() != expected) {
            throw new IllegalArgumentException("cannot overwrite an array of shape " + dst.getShape() + " and type "
                    + dst.getDataType() + " (" + expected + " bytes) with " + data.remaining() + " bytes");
        }
        try (NDArray src = dst.getManager().create(data, dst.getShape(), dst.getDataType())) {
            src.copyTo(dst);
        }
    }
}
