package ai.wsbcn.util;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

class EngineKernelsTest {

    @Test
    void mxnetRunsMklDnnUnlessTheVariableIsZero() {
        assertEquals("MXNet (MKL-DNN)", EngineKernels.label("MXNet", Map.of()));
        assertEquals("MXNet (MKL-DNN)", EngineKernels.label("MXNet", Map.of("MXNET_MKLDNN_ENABLED", "1")));
        assertEquals("MXNet (own kernels, MXNET_MKLDNN_ENABLED=0)",
                EngineKernels.label("MXNet", Map.of("MXNET_MKLDNN_ENABLED", "0")));
        assertEquals("PyTorch", EngineKernels.label("PyTorch", Map.of("MXNET_MKLDNN_ENABLED", "0")));
    }

    @Test
    void thisProcessMatchesItsEnvironment() {
        // surefire sets MXNET_MKLDNN_ENABLED from -Dwsbcn.mxnet.mkldnn (default 1)
        String expected = "0".equals(System.getenv("MXNET_MKLDNN_ENABLED"))
                ? "MXNet (own kernels, MXNET_MKLDNN_ENABLED=0)" : "MXNet (MKL-DNN)";
        assertEquals(expected, EngineKernels.label("MXNet"));
    }
}
