package ai.wsbcn.norm;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Block;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Lets a diagnostic see what enters and leaves every normalisation layer during one forward pass, without hooks in
 * DJL: while a probe is open on the current thread, the norm layers of this package hand it host copies of their
 * input (the output of the convolution before them) and their output. Closed probes cost one thread-local read per
 * layer.
 */
public final class ActivationProbe implements AutoCloseable {

    /** One norm layer's input and output in one forward. */
    public record Capture(Block layer, long[] shape, float[] input, float[] output) {}

    private static final ThreadLocal<ActivationProbe> OPEN = new ThreadLocal<>();

    private final List<Capture> captures = new ArrayList<>();

    private ActivationProbe() {}

    /** Opens a probe on this thread; close it after the forward to stop recording. */
    public static ActivationProbe open() {
        ActivationProbe p = new ActivationProbe();
        OPEN.set(p);
        return p;
    }

    static void record(Block layer, NDArray input, NDArray output) {
        ActivationProbe p = OPEN.get();
        if (p != null && input.getShape().dimension() == 4) {
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
