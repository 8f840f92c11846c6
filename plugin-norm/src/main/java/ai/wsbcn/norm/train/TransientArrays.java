package ai.wsbcn.norm.train;

import ai.djl.ndarray.BaseNDManager;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

import java.util.HashSet;
import java.util.Set;

/**
 * Closes the arrays a training step or an evaluation batch left in the long-lived manager that holds the model's
 * parameters. DJL attaches an op's result to the manager of its first operand, so every op that starts from a
 * parameter (weight standardisation, BCN's scale from its estimates, weight decay, gradient handles) adds an array
 * there on every step — gigabytes over a run — while the step's own data lives in a sub-manager that is closed anyway.
 * Use {@link #mark()} before and {@link #sweep()} after; not on the very first step of a run, where layers and
 * optimizers may create state that must live on.
 */
public final class TransientArrays {

    private final NDManager manager;
    private Set<String> before;

    public TransientArrays(NDManager manager) {
        this.manager = manager;
    }

    /** Records the arrays alive now. */
    public void mark() {
        if (!(manager instanceof BaseNDManager base)) {
            return;
        }
        before = new HashSet<>();
        for (NDArray a : base.getManagedArrays()) {
            before.add(a.getUid());
        }
    }

    /** Closes the arrays that appeared directly in the manager since {@link #mark()}; returns how many. */
    public int sweep() {
        if (before == null || !(manager instanceof BaseNDManager base)) {
            return 0;
        }
        int closed = 0;
        for (NDArray a : base.getManagedArrays()) {
            if (!before.contains(a.getUid()) && a.getManager() == manager) {
                a.close();
                closed++;
            }
        }
        before = null;
        return closed;
    }

    /** The number of arrays the manager holds directly (for tests and diagnostics). */
    public int directCount() {
        if (!(manager instanceof BaseNDManager base)) {
            return -1;
        }
        int n = 0;
        for (NDArray a : base.getManagedArrays()) {
            if (a.getManager() == manager) {
                n++;
            }
        }
        return n;
    }
}
