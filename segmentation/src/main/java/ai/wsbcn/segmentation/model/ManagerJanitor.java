package ai.wsbcn.segmentation.model;

import ai.djl.ndarray.BaseNDManager;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

import java.util.HashSet;
import java.util.Set;

/**
 * Frees the arrays a training step (or an inference forward) left in the parameters' manager. DJL attaches an op's result to the manager of its
 * first operand, so every op that starts from a parameter (weight standardisation, BCN's scale and shift from its
 * estimates, the optimizer's weight decay term, gradient handles) adds a parameter-sized array to the long-lived model
 * manager on every step: gigabytes over a run. After each step, arrays that appeared in that manager during the step
 * are closed; the step's own data lives in a sub-manager that is closed anyway. In training, skip the first step after a
 * (re)start: the optimizer creates its momentum buffers there and they must live on. (The lasting fix is for such
 * layers to attach their temporaries to the input's manager; until then every loop over a model calls this.)
 */
public final class ManagerJanitor {

    private final NDManager manager;
    private Set<String> before;

    public ManagerJanitor(NDManager manager) {
        this.manager = manager;
    }

    /** Records the arrays alive before a step. */
    public void beforeStep() {
        if (!(manager instanceof BaseNDManager base)) {
            return;
        }
        before = new HashSet<>();
        for (NDArray a : base.getManagedArrays()) {
            before.add(a.getUid());
        }
    }

    /** Closes the arrays that appeared since {@link #beforeStep()}; returns how many. */
    public int afterStep() {
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
}
