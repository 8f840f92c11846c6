package ai.wsbcn.util;

import java.util.Map;

/**
 * Names an engine together with the CPU kernels and OpenMP threads it runs with, for benchmark headers and
 * {@code wsbcn version}: MXNet's step times differ 1.4-2.7x between its MKL-DNN (oneDNN) kernels and its own, and
 * again ~1.5x between one OpenMP thread and two on this 2-core machine (README, "Engines and fast paths").
 */
public final class EngineKernels {

    private EngineKernels() {}

    /**
     * E.g. {@code MXNet (MKL-DNN, 2 OpenMP threads)}, {@code MXNet (own kernels, MXNET_MKLDNN_ENABLED=0, 2 OpenMP
     * threads)} or {@code PyTorch}.
     */
    public static String label(String engineName) {
        return label(engineName, System.getenv(), Runtime.getRuntime().availableProcessors());
    }

    /**
     * The label for an engine under an environment on a machine with {@code processors} processors; MXNet reads
     * {@code MXNET_MKLDNN_ENABLED} (default on) and {@code OMP_NUM_THREADS} (MXNet's default without it: half the
     * processors on x86, as it assumes hyper-threading).
     */
    static String label(String engineName, Map<String, String> env, int processors) {
        if (!"MXNet".equals(engineName)) {
            return engineName;
        }
        String flag = env.get("MXNET_MKLDNN_ENABLED");
        String kernels = flag == null || !flag.trim().equals("0") ? "MKL-DNN" : "own kernels, MXNET_MKLDNN_ENABLED=0";
        String omp = env.get("OMP_NUM_THREADS");
        String threads = omp != null && !omp.isBlank() ? omp.trim()
                : Math.max(1, processors / 2) + " (OMP_NUM_THREADS unset: half the " + processors + " processors)";
        return "MXNet (" + kernels + ", " + threads + " OpenMP threads)";
    }
}
