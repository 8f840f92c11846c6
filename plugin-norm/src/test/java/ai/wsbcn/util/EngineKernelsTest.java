package ai.wsbcn.util;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

class EngineKernelsTest {

    @Test
    void mxnetRunsMklDnnUnlessTheVariableIsZero() {
        Map<String, String> two = Map.of("OMP_NUM_THREADS", "2");
        assertEquals("MXNet (MKL-DNN, 2 OpenMP threads)", EngineKernels.label("MXNet", two, 2));
        assertEquals("MXNet (MKL-DNN, 2 OpenMP threads)",
                EngineKernels.label("MXNet", Map.of("MXNET_MKLDNN_ENABLED", "1", "OMP_NUM_THREADS", "2"), 2));
        assertEquals("MXNet (own kernels, MXNET_MKLDNN_ENABLED=0, 2 OpenMP threads)",
                EngineKernels.label("MXNet", Map.of("MXNET_MKLDNN_ENABLED", "0", "OMP_NUM_THREADS", "2"), 2));
        assertEquals("PyTorch", EngineKernels.label("PyTorch", Map.of("MXNET_MKLDNN_ENABLED", "0"), 2));
    }

    @Test
    void withoutOmpNumThreadsMxnetTakesHalfTheProcessors() {
        assertEquals("MXNet (MKL-DNN, 1 (OMP_NUM_THREADS unset: half the 2 processors) OpenMP threads)",
                EngineKernels.label("MXNet", Map.of(), 2));
        assertEquals("MXNet (MKL-DNN, 4 (OMP_NUM_THREADS unset: half the 8 processors) OpenMP threads)",
                EngineKernels.label("MXNet", Map.of(), 8));
    }

    @Test
    void thisProcessMatchesItsEnvironment() {
        // surefire sets MXNET_MKLDNN_ENABLED from -Dwsbcn.mxnet.mkldnn (default 1), OMP_NUM_THREADS from
        // -Dwsbcn.omp.threads (default 2)
        String kernels = "0".equals(System.getenv("MXNET_MKLDNN_ENABLED"))
                ? "own kernels, MXNET_MKLDNN_ENABLED=0" : "MKL-DNN";
        assertEquals("MXNet (" + kernels + ", " + System.getenv("OMP_NUM_THREADS") + " OpenMP threads)",
                EngineKernels.label("MXNet"));
    }
}
