package ai.wsbcn.util;

import ai.djl.ndarray.BaseNDManager;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.training.ParameterStore;

import java.lang.reflect.Field;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;

/**
 * Scoped forward: runs a piece of a network (a residual unit, an FPN level, a head) in a sub-manager and keeps only
 * its outputs. DJL attaches every op result to the manager of its first operand until that manager closes, so
 * without scoping every temporary of a training step (conv outputs before a norm, the intermediate results of a
 * norm, reshapes, padding copies) stays alive until the step ends, although autograd needs only some of them. The
 * engines' autograd graphs hold their own references to what backward needs (PyTorch's saved variables, MXNet's
 * recorded node entries), so closing the Java handles frees exactly the tensors nothing needs any more; forward
 * values and gradients do not change (tested bit-identical on PyTorch and MXNet).
 *
 * <p>One exception is kept alive: an array made from Java data on PyTorch wraps a direct buffer that the tensor does
 * not own (DJL's {@code torch::from_blob}); if autograd saved it (an index or weight array of a gather or product),
 * closing the handle would let the buffer be collected while backward still reads it. Such arrays (small: indices,
 * weights, constants) are moved to the parent manager instead of being closed.
 *
 * <p>Inputs are temporarily attached to the scope's manager (so the ops on them put their results there) and
 * returned to their managers when the scope closes; the outputs are attached to the manager of the first input,
 * where DJL would have put them. Scoping can be turned off with {@code -Dwsbcn.forwardScope=false} or
 * {@link #setEnabled} (for A/B tests); then the body runs unchanged.
 */
public final class ForwardScope {

    private static volatile boolean enabled = !"false".equalsIgnoreCase(System.getProperty("wsbcn.forwardScope"));
    private static final Map<Class<?>, Field> BUFFER_FIELDS = new ConcurrentHashMap<>();
    /** Sentinels: the class has no foreign buffer field; the field exists but cannot be read. */
    private static final Field NONE;
    private static final Field UNREADABLE;

    static {
        try {
            NONE = ForwardScope.class.getDeclaredField("enabled");
            UNREADABLE = ForwardScope.class.getDeclaredField("BUFFER_FIELDS");
        } catch (NoSuchFieldException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private ForwardScope() {}

    public static boolean isEnabled() {
        return enabled;
    }

    /** Turns scoping on or off for the whole process (default on; {@code -Dwsbcn.forwardScope=false} turns it off). */
    public static void setEnabled(boolean on) {
        enabled = on;
    }

    /**
     * Runs {@code body} on {@code inputs} inside a sub-manager of the first input's manager and returns its outputs,
     * attached to that manager; the body's other results are closed (see the class comment).
     */
    public static NDList run(NDList inputs, UnaryOperator<NDList> body) {
        if (!enabled || inputs.isEmpty()) {
            return body.apply(inputs);
        }
        NDManager parent = inputs.get(0).getManager();
        try (NDManager scope = parent.newSubManager()) {
            Map<NDArray, Boolean> seen = new IdentityHashMap<>();
            for (NDArray x : inputs) {
                if (seen.put(x, Boolean.TRUE) == null) {
                    x.tempAttach(scope);
                }
            }
            NDList out = body.apply(inputs);
            for (NDArray y : out) {
                if (!seen.containsKey(y)) {
                    y.attach(parent);
                }
            }
            // an input returned as an output goes back to its own manager when the scope closes
            keepForeignBuffers(scope, parent);
            return out;
        }
    }

    /** {@link #run(NDList, UnaryOperator)} for one input and one output. */
    public static NDArray run(NDArray input, UnaryOperator<NDArray> body) {
        return run(new NDList(input), in -> new NDList(body.apply(in.singletonOrThrow()))).singletonOrThrow();
    }

    /** A block's forward in its own scope. */
    public static NDList forward(Block block, ParameterStore ps, NDList inputs, boolean training) {
        return run(inputs, in -> block.forward(ps, in, training));
    }

    /**
     * A {@link SequentialBlock}'s forward with each child in its own scope (the same chain of calls as
     * {@code SequentialBlock.forward}, whose intermediate outputs are not returned).
     */
    public static NDList sequential(SequentialBlock block, ParameterStore ps, NDList inputs, boolean training) {
        if (!enabled) {
            return block.forward(ps, inputs, training);
        }
        NDList x = inputs;
        List<NDArray> previous = new ArrayList<>();
        for (Block child : block.getChildren().values()) {
            NDList y = forward(child, ps, x, training);
            // the previous child's outputs were made by this chain and are not returned: only autograd may need them
            for (NDArray a : previous) {
                if (!containsSame(y, a) && !containsSame(inputs, a)) {
                    closeIfOwned(a);
                }
            }
            previous = new ArrayList<>(y);
            x = y;
        }
        return x;
    }

    private static boolean containsSame(NDList list, NDArray a) {
        for (NDArray b : list) {
            if (b == a) {
                return true;
            }
        }
        return false;
    }

    /**
     * Closes an array made inside the network that is no longer referenced by the caller (autograd keeps what
     * backward needs); arrays over Java buffers are left alone (see the class comment).
     */
    public static void closeIfOwned(NDArray a) {
        if (enabled && a != null && !a.isReleased() && !hasForeignBuffer(a)) {
            a.close();
        }
    }

    /** Moves the arrays of {@code scope} that wrap a Java buffer (not owned by the engine) to {@code parent}. */
    private static void keepForeignBuffers(NDManager scope, NDManager parent) {
        if (!(scope instanceof BaseNDManager base)) {
            return;
        }
        List<NDArray> keep = new ArrayList<>();
        for (NDArray a : base.getManagedArrays()) {
            if (a.getManager() == scope && hasForeignBuffer(a)) {
                keep.add(a);
            }
        }
        for (NDArray a : keep) {
            a.attach(parent);
        }
    }

    /**
     * Whether the array's data is a Java buffer the engine does not own (PyTorch's {@code dataRef}). Unknown array
     * classes without such a field own their data (MXNet copies Java data into its own memory).
     */
    static boolean hasForeignBuffer(NDArray a) {
        Field f = BUFFER_FIELDS.computeIfAbsent(a.getClass(), ForwardScope::bufferField);
        if (f == NONE) {
            return false;
        }
        if (f == UNREADABLE) {
            return true;
        }
        try {
            return f.get(a) != null;
        } catch (IllegalAccessException e) {
            return true;
        }
    }

    private static Field bufferField(Class<?> c) {
        for (Class<?> k = c; k != null && k != Object.class; k = k.getSuperclass()) {
            for (Field f : k.getDeclaredFields()) {
                if (f.getType() == ByteBuffer.class && f.getName().equals("dataRef")) {
                    try {
                        f.setAccessible(true);
                        return f;
                    } catch (RuntimeException e) {
                        // cannot tell: treat every array of this class as foreign (never closed early)
                        return UNREADABLE;
                    }
                }
            }
        }
        return NONE;
    }
}
