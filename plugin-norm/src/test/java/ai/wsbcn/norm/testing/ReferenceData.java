package ai.wsbcn.norm.testing;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * PyTorch-computed reference vectors (copied from {@code shared/reference} into test resources under
 * {@code /reference/}), read with DJL's own {@code .npz} decoder so arrays keep their keys.
 */
public final class ReferenceData implements AutoCloseable {

    private final NDList arrays;
    private final String resource;

    private ReferenceData(NDList arrays, String resource) {
        this.arrays = arrays;
        this.resource = resource;
    }

    /** Loads {@code /reference/<relativePath>} (e.g. {@code gn/gn_n1_c16_5x5_g4.npz}) into {@code manager}. */
    public static ReferenceData load(NDManager manager, String relativePath) {
        String resource = "/reference/" + relativePath;
        try (InputStream raw = ReferenceData.class.getResourceAsStream(resource)) {
            if (raw == null) {
                throw new IllegalArgumentException("test resource not found: " + resource);
            }
            NDList list = NDList.decode(manager, new BufferedInputStream(raw));
            return new ReferenceData(list, resource);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + resource, e);
        }
    }

    /** The array stored under {@code key}; fails with the list of keys when absent. */
    public NDArray get(String key) {
        NDArray a = arrays.get(key);
        if (a == null) {
            throw new IllegalArgumentException(resource + " has no array '" + key + "'; keys: " + keys());
        }
        return a;
    }

    public boolean has(String key) {
        return arrays.get(key) != null;
    }

    private String keys() {
        StringBuilder sb = new StringBuilder();
        for (NDArray a : arrays) {
            sb.append(a.getName()).append(' ');
        }
        return sb.toString().trim();
    }

    @Override
    public void close() {
        arrays.close();
    }
}
