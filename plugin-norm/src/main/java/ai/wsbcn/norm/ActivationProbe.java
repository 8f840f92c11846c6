package ai.wsbcn.norm;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Block;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

/**
 * Lets a diagnostic see what enters and leaves every normalisation layer during one forward pass, without hooks in
 * DJL: while a probe is open on the current thread, the norm layers of this package hand it host copies of their
 * input (the output of the convolution before them) and their output, the first time each layer runs while the
 * probe is open (one forward pass, also when an update runs several micro-batches). Closed probes cost one
 * thread-local read per layer.
 */
public final class ActivationProbe implements AutoCloseable {

    /** One norm layer's input and output in one forward. */
    public record Capture(Block layer, long[] shape, float[] input, float[] output) {}

    private static final ThreadLocal<ActivationProbe> OPEN = new ThreadLocal<>();

    private final List<Capture> captures = new ArrayList<>();
    private final Set<Block> seen = Collections.newSetFromMap(new IdentityHashMap<>());

    private ActivationProbe() {}

    /** Opens a probe on this thread; close it after the forward to stop recording. */
    public static ActivationProbe open() {
        ActivationProbe p = new ActivationProbe();
        OPEN.set(p);
        return p;
    }

    static void record(Block layer, NDArray input, NDArray output) {
        ActivationProbe p = OPEN.get();
        // one forward pass: with micro-batches, a layer runs several times while the probe is open
        if (p != null && input.getShape().dimension() == 4 && p.seen.add(layer)) {
            p.captures.add(new Capture(layer, input.getShape().getShape(),
                    input.toType(DataType.FLOAT32, false).toFloatArray(),
                    output.toType(DataType.FLOAT32, false).toFloatArray()));
        }
    }

    /** The captures in forward order. */
    public List<Capture> captures() {
        return Collections.unmodifiableList(captures);
    }

    @Override
    public void close() {
        if (OPEN.get() == this) {
            OPEN.remove();
        }
    }
}
