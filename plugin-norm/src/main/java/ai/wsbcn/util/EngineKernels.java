package ai.wsbcn.util;

import java.util.Map;

/**
 * Names an engine together with the CPU kernels it runs, for benchmark headers and {@code wsbcn version}: MXNet's
 * step times differ 1.4-2.7x between its MKL-DNN (oneDNN) kernels and its own (README, "Engines and fast paths").
 */
public final class EngineKernels {

    private EngineKernels() {}

    /** E.g. {@code MXNet (MKL-DNN)}, {@code MXNet (own kernels, MXNET_MKLDNN_ENABLED=0)} or {@code PyTorch}. */
    public static String label(String engineName) {
        return label(engineName, System.getenv());
    }

    /** The label for an engine under an environment; MXNet reads {@code MXNET_MKLDNN_ENABLED} (default on). */
    static String label(String engineName, Map<String, String> env) {
        if (!"MXNet".equals(engineName)) {
            return engineName;
        }
        String flag = env.get("MXNET_MKLDNN_ENABLED");
        return flag == null || !flag.trim().equals("0") ? "MXNet (MKL-DNN)"
                : "MXNet (own kernels, MXNET_MKLDNN_ENABLED=0)";
    }
}
