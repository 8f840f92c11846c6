package ai.wsbcn.detection.box;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.wsbcn.norm.testing.ReferenceData;

import java.util.function.Consumer;

/** Reads torchvision reference arrays of {@code reference/ops/} into host arrays for the host-side tests. */
public final class OpsReference {

    private final ReferenceData data;

    private OpsReference(ReferenceData data) {
        this.data = data;
    }

    /** Loads {@code ops/<file>} on the default engine, hands it to {@code body}, releases it. */
    public static void with(String file, Consumer<OpsReference> body) {
        try (NDManager m = NDManager.newBaseManager(); ReferenceData d = ReferenceData.load(m, "ops/" + file)) {
            body.accept(new OpsReference(d));
        }
    }

    public float[] floats(String key) {
        return data.get(key).toType(DataType.FLOAT32, false).toFloatArray();
    }

    public int[] ints(String key) {
        NDArray a = data.get(key);
        long[] l = a.toType(DataType.INT64, false).toLongArray();
        int[] out = new int[l.length];
        for (int i = 0; i < l.length; i++) {
            out[i] = Math.toIntExact(l[i]);
        }
        return out;
    }

    public long[] shape(String key) {
        return data.get(key).getShape().getShape();
    }

    public boolean has(String key) {
        return data.has(key);
    }

    /** Max |a - b|. */
    public static double maxAbs(float[] a, float[] b) {
        if (a.length != b.length) {
            throw new AssertionError("length " + a.length + " != " + b.length);
        }
        double worst = 0;
        for (int i = 0; i < a.length; i++) {
            double d = Math.abs((double) a[i] - b[i]);
            if (!(d <= worst)) {
                worst = d;
            }
        }
        return worst;
    }
}
