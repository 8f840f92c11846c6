package ai.wsbcn.norm.engine;

import ai.djl.Device;
import ai.djl.mxnet.engine.MxNDArray;
import ai.djl.mxnet.jna.JnaUtils;
import ai.djl.mxnet.jna.LibUtils;
import ai.djl.mxnet.jna.MxnetLibrary;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.wsbcn.norm.WsConvention;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.PointerByReference;

import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Weight standardisation computed by the JVM directly in MXNet's memory, forward and backward, for standardised
 * weights held as gradient leaves over an update ({@code WsConv2d}'s hold and release). MXNet 1.9's best operator
 * form, a batch norm along axis 0 of the weight, runs at 4-6x the memory-traffic floor: the 53 weights of a
 * ResNet-50, forward and backward, took 150-230 ms in one process against 39-60 ms here (forward 15-24 ms,
 * backward 24-36 ms: medians of 20 calls, 2 threads, over 2026-12-06).
 *
 * <p>Each row (one output channel, a few thousand floats at most) is copied into a scratch array, reduced there in
 * cache and written once, so the forward reads W and writes W_hat once, and the backward reads W_hat and its gradient
 * once and writes the weight's gradient once: five passes over the weights, the floor of any implementation that
 * standardises every update. Plain copies with the same pattern over the same arrays take 11-12 ms (read one, write
 * one) and 19 ms (read two, write one) here, so moving the data is most of the time; JDK 17's incubating Vector API
 * took 1-5 ms off and was not adopted (it needs {@code --add-modules} on every JVM that loads this library). Rows
 * are spread over the common fork-join pool and the calling thread.
 *
 * <p>Sums run in eight single-precision lanes flushed into a double every 512 elements (C2 does not vectorise a
 * reduction; eight independent chains keep the adders busy), the variance as a second pass over the row once
 * centred (no cancellation however far the row mean drifts; under WS nothing pulls it back).
 */
public final class HostRowStandardization {

    /**
     * System property: {@code false} turns the host route off (the hold and release then run on the engine's
     * operators, as before 2026-12-06); for measurements.
     */
    public static final String PROPERTY = "wsbcn.norm.hostWs";

    /** Elements per parallel task: small enough to balance two threads over a few large weights. */
    private static final int TASK_ELEMENTS = 1 << 15;
    private static final int FLUSH = 512;

    private HostRowStandardization() {}

    /**
     * One weight's standardisation on the host, kept from update to update: W_hat lives in one array (a gradient
     * leaf, written in place by each {@link #standardize}), with per-row factors for the backward. Reusing the
     * array spares an allocation and a zeroed gradient per update.
     */
    public static final class Rows {
        private final NDArray weight;
        /**
         * Owns W_hat and its gradient: a manager of their own under the weight's, so that sweeping the arrays a
         * step left in the weight's manager ({@code TransientArrays}) cannot free them.
         */
        private final NDManager scope;
        private final NDArray standardized;
        private final int rows;
        private final int cols;
        /** Per row: {@code 1 / spread}, the factor from centred W to W_hat. */
        private final float[] scale;
        /** Per row: the factor of {@code W_hat * sum(G * W_hat)} in the gradient; depends on the convention. */
        private final float[] projection;
        private final float eps;
        private final WsConvention convention;

        /**
         * @throws IllegalArgumentException for a row of one element under an unbiased convention
         */
        public Rows(NDArray weight, float eps, WsConvention convention) {
            Shape shape = weight.getShape();
            this.weight = weight;
            this.eps = eps;
            this.convention = convention;
            rows = Math.toIntExact(shape.get(0));
            cols = Math.toIntExact(shape.size() / shape.get(0));
            if (cols < 2 && convention != WsConvention.BIASED_VAR) {
                throw new IllegalArgumentException("an unbiased variance needs at least 2 elements per row, got "
                        + cols);
            }
            scale = new float[rows];
            projection = new float[rows];
            scope = weight.getManager().newSubManager();
            standardized = scope.create(shape, weight.getDataType());
            standardized.setRequiresGradient(true);
        }

        /** The raw weight. */
        public NDArray weight() {
            return weight;
        }

        /** W_hat, a gradient leaf under the weight's manager, valid after {@link #standardize}. */
        public NDArray standardized() {
            return standardized;
        }

        /** Whether these rows standardise {@code w} (the same array) under these settings, and are still open. */
        public boolean serves(NDArray w, float eps, WsConvention convention) {
            return w == weight && this.eps == eps && this.convention == convention && !standardized.isReleased();
        }

        /** Frees W_hat and its gradient. */
        public void close() {
            scope.close();
        }
    }

    /**
     * Whether {@code weight} can take this route: an MXNet float32 array on the CPU, under the fused kernels
     * ({@link NormKernels#ROUTE_PROPERTY} not {@code portable}) and with {@link #PROPERTY} not {@code false}.
     */
    public static boolean supports(NDArray weight) {
        return weight instanceof MxNDArray && weight.getDataType() == DataType.FLOAT32
                && weight.getDevice().getDeviceType().equals(Device.Type.CPU) && weight.getShape().dimension() >= 2
                && !"false".equalsIgnoreCase(System.getProperty(PROPERTY, "true").trim())
                && NormKernels.forArray(weight, true) instanceof FusedNormKernels;
    }

    /** Standardises each weight row by row into its {@link Rows#standardized()}, all weights' rows in parallel. */
    public static void standardize(Rows[] all) {
        FloatBuffer[] in = new FloatBuffer[all.length];
        FloatBuffer[] out = new FloatBuffer[all.length];
        for (int i = 0; i < all.length; i++) {
            in[i] = floats(all[i].weight, false);
            out[i] = floats(all[i].standardized, true);
        }
        forEachTask(all, t -> {
            Rows h = all[t.index];
            float[] row = new float[h.cols];
            float[] ones = ones(h.cols);
            for (int r = t.firstRow; r < t.endRow; r++) {
                in[t.index].get(r * h.cols, row, 0, h.cols);
                standardizeRow(row, ones, h, r);
                out[t.index].put(r * h.cols, row, 0, h.cols);
            }
        });
    }

    /**
     * Writes into {@code weightGradients[i]} the gradient of {@code all[i]}'s raw weight given {@code gradients[i]},
     * the gradient of its W_hat (summed over an update's micro-batches); overwrites, as an MXNet backward with the
     * "write" request does.
     */
    public static void backward(Rows[] all, NDArray[] gradients, NDArray[] weightGradients) {
        FloatBuffer[] wHat = new FloatBuffer[all.length];
        FloatBuffer[] g = new FloatBuffer[all.length];
        FloatBuffer[] out = new FloatBuffer[all.length];
        for (int i = 0; i < all.length; i++) {
            wHat[i] = floats(all[i].standardized, false);
            g[i] = floats(gradients[i], false);
            out[i] = floats(weightGradients[i], true);
        }
        forEachTask(all, t -> {
            Rows h = all[t.index];
            float[] w = new float[h.cols];
            float[] grad = new float[h.cols];
            float[] ones = ones(h.cols);
            for (int r = t.firstRow; r < t.endRow; r++) {
                wHat[t.index].get(r * h.cols, w, 0, h.cols);
                g[t.index].get(r * h.cols, grad, 0, h.cols);
                backwardRow(w, grad, ones, h.scale[r], h.projection[r]);
                out[t.index].put(r * h.cols, grad, 0, h.cols);
            }
        });
    }

    /** Row {@code r} of {@code h} in place: W to W_hat; records the row's scale and gradient projection factor. */
    private static void standardizeRow(float[] row, float[] ones, Rows h, int r) {
        int n = row.length;
        float mean = (float) (dot(row, ones) / n);
        for (int j = 0; j < n; j++) {
            row[j] -= mean;
        }
        double squares = dot(row, row);
        float scale;
        float projection;
        switch (h.convention) {
            case BIASED_VAR:
                scale = (float) (1 / Math.sqrt(squares / n + h.eps));
                projection = scale / n;
                break;
            case UNBIASED_VAR:
                scale = (float) (1 / Math.sqrt(squares / (n - 1) + h.eps));
                projection = scale / (n - 1);
                break;
            default: {
                double std = Math.sqrt(squares / (n - 1));
                scale = (float) (1 / (std + h.eps));
                // a constant row has W_hat = 0, so the term vanishes; avoid 0/0
                projection = std > 0 ? (float) (1 / (std * (n - 1))) : 0f;
            }
        }
        for (int j = 0; j < n; j++) {
            row[j] *= scale;
        }
        h.scale[r] = scale;
        h.projection[r] = projection;
    }

    /**
     * Gradient of one row in place of {@code grad}: {@code scale * (g - mean(g)) - W_hat * sum(g * W_hat) *
     * projection}. With s the scale and v the sum of centred squares, W_hat = (W - mean) s(v), and the chain rule
     * through the mean vanishes (centred rows sum to zero), leaving {@code s (g - mean g) + 2 (W - mean) s'(v)
     * sum(g (W - mean))}; the projection factor is {@code s/n}, {@code s/(n-1)} or {@code 1/(std (n-1))} for the
     * three conventions.
     */
    private static void backwardRow(float[] wHat, float[] grad, float[] ones, float scale, float projection) {
        int n = grad.length;
        float gMean = (float) (dot(grad, ones) / n);
        float along = (float) (dot(grad, wHat) * projection);
        for (int j = 0; j < n; j++) {
            grad[j] = scale * (grad[j] - gMean) - wHat[j] * along;
        }
    }

    /**
     * {@code sum(a * b)} in eight single-precision lanes, flushed into a double every {@value #FLUSH} elements (a sum
     * is the dot with ones, a sum of squares the dot of a row with itself).
     */
    static double dot(float[] a, float[] b) {
        int n = a.length;
        double total = 0;
        int i = 0;
        while (i + 8 <= n) {
            float a0 = 0, a1 = 0, a2 = 0, a3 = 0, a4 = 0, a5 = 0, a6 = 0, a7 = 0;
            int end = Math.min(n - 7, i + FLUSH);
            for (; i < end; i += 8) {
                a0 += a[i] * b[i]; a1 += a[i + 1] * b[i + 1]; a2 += a[i + 2] * b[i + 2]; a3 += a[i + 3] * b[i + 3];
                a4 += a[i + 4] * b[i + 4]; a5 += a[i + 5] * b[i + 5]; a6 += a[i + 6] * b[i + 6];
                a7 += a[i + 7] * b[i + 7];
            }
            total += (double) a0 + a1 + a2 + a3 + a4 + a5 + a6 + a7;
        }
        for (; i < n; i++) {
            total += a[i] * b[i];
        }
        return total;
    }

    private static float[] ones(int n) {
        float[] ones = new float[n];
        java.util.Arrays.fill(ones, 1f);
        return ones;
    }

    /** Rows {@code [firstRow, endRow)} of weight {@code index}. */
    private record Task(int index, int firstRow, int endRow) {}

    private static void forEachTask(Rows[] held, java.util.function.Consumer<Task> body) {
        List<Task> tasks = new ArrayList<>();
        for (int i = 0; i < held.length; i++) {
            int step = Math.max(1, TASK_ELEMENTS / Math.max(1, held[i].cols));
            for (int r = 0; r < held[i].rows; r += step) {
                tasks.add(new Task(i, r, Math.min(held[i].rows, r + step)));
            }
        }
        tasks.parallelStream().forEach(body);
    }

    /**
     * A view of an MXNet array's memory, once the engine has finished every pending write to it (and, for
     * {@code write}, every pending read). Valid while the array lives and no operator is pushed on it.
     */
    private static FloatBuffer floats(NDArray array, boolean write) {
        Pointer handle = ((MxNDArray) array).getHandle();
        if (write) {
            JnaUtils.waitToWrite(handle);
        } else {
            JnaUtils.waitToRead(handle);
        }
        PointerByReference data = new PointerByReference();
        if (Mx.LIB.MXNDArrayGetData(handle, data) != 0) {
            throw new IllegalStateException("MXNDArrayGetData failed: " + Mx.LIB.MXGetLastError());
        }
        return data.getValue().getByteBuffer(0, array.size() * Float.BYTES).order(ByteOrder.nativeOrder())
                .asFloatBuffer();
    }

    /** MXNet's C API, loaded on first use so that other engines never touch it. */
    private static final class Mx {
        static final MxnetLibrary LIB = LibUtils.loadLibrary();
    }
}
