package ai.wsbcn.pretrained.io;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * A tensor read from a checkpoint file, held on the host: element type, shape and contiguous little-endian bytes.
 * Half-precision types are widened to float32 when turned into an NDArray (not every engine computes in them).
 */
public final class TensorData {

    /** Element types found in checkpoints, with their sizes in bytes. */
    public enum Type {
        FLOAT32(4), FLOAT64(8), FLOAT16(2), BFLOAT16(2), INT64(8), INT32(4), INT16(2), INT8(1), UINT8(1), BOOL(1);

        private final int bytes;

        Type(int bytes) {
            this.bytes = bytes;
        }

        public int bytes() {
            return bytes;
        }
    }

    private final Type type;
    private final long[] shape;
    private final ByteBuffer data;

    public TensorData(Type type, long[] shape, ByteBuffer data) {
        this.type = type;
        this.shape = shape.clone();
        this.data = data.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        long expected = numel() * type.bytes();
        if (this.data.remaining() != expected) {
            throw new IllegalArgumentException("tensor of shape " + Arrays.toString(shape) + " and type " + type
                    + " needs " + expected + " bytes, got " + this.data.remaining());
        }
    }

    public Type type() {
        return type;
    }

    public long[] shape() {
        return shape.clone();
    }

    public long numel() {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        return n;
    }

    /** The raw little-endian bytes (a read-only view). */
    public ByteBuffer bytes() {
        return data.asReadOnlyBuffer().order(ByteOrder.LITTLE_ENDIAN);
    }

    /** The values as float32 (for floating types; integers are converted too). */
    public float[] toFloats() {
        ByteBuffer b = bytes();
        int n = Math.toIntExact(numel());
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            switch (type) {
                case FLOAT32:
                    out[i] = b.getFloat();
                    break;
                case FLOAT64:
                    out[i] = (float) b.getDouble();
                    break;
                case FLOAT16:
                    out[i] = halfToFloat(b.getShort());
                    break;
                case BFLOAT16:
                    out[i] = Float.intBitsToFloat((b.getShort() & 0xffff) << 16);
                    break;
                case INT64:
                    out[i] = b.getLong();
                    break;
                case INT32:
                    out[i] = b.getInt();
                    break;
                case INT16:
                    out[i] = b.getShort();
                    break;
                case INT8:
                    out[i] = b.get();
                    break;
                case UINT8:
                case BOOL:
                    out[i] = b.get() & 0xff;
                    break;
                default:
                    throw new AssertionError(type);
            }
        }
        return out;
    }

    /** IEEE 754 binary16 to float (Java 17 has no Float.float16ToFloat). */
    static float halfToFloat(short h) {
        int bits = h & 0xffff;
        int sign = (bits & 0x8000) << 16;
        int exp = (bits >> 10) & 0x1f;
        int mant = bits & 0x3ff;
        if (exp == 0x1f) {
            return Float.intBitsToFloat(sign | 0x7f800000 | (mant << 13));
        }
        if (exp == 0) {
            float v = mant * 0x1p-24f;
            return sign != 0 ? -v : v;
        }
        return Float.intBitsToFloat(sign | ((exp + 112) << 23) | (mant << 13));
    }

    /** An NDArray in {@code manager}: floating types become float32, integer types keep their type. */
    public NDArray toNDArray(NDManager manager) {
        Shape s = new Shape(shape);
        switch (type) {
            case FLOAT32:
            case FLOAT16:
            case BFLOAT16:
            case FLOAT64:
                return manager.create(toFloats(), s);
            case INT64:
                return manager.create(bytes(), s, DataType.INT64);
            case INT32:
                return manager.create(bytes(), s, DataType.INT32);
            case INT8:
                return manager.create(bytes(), s, DataType.INT8);
            case UINT8:
                return manager.create(bytes(), s, DataType.UINT8);
            case BOOL:
                return manager.create(bytes(), s, DataType.BOOLEAN);
            default:
                return manager.create(toFloats(), s);
        }
    }

    /** A float32 tensor from an NDArray (for export). */
    public static TensorData fromNDArray(NDArray a) {
        float[] v = a.toType(DataType.FLOAT32, false).toFloatArray();
        ByteBuffer b = ByteBuffer.allocate(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(v);
        return new TensorData(Type.FLOAT32, a.getShape().getShape(), b);
    }
}
