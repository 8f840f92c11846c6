package ai.wsbcn.norm;

/**
 * How a weight row is divided by its spread in Weight Standardization. The paper (Eq. 7) uses the biased variance
 * with eps inside the root; the official PyTorch code ships two unbiased variants, kept so that checkpoints trained
 * with them reproduce their outputs exactly.
 */
public enum WsConvention {
    /** {@code (W - mean) / sqrt(var_biased + eps)}: the paper's Eq. 7, the default. */
    BIASED_VAR,
    /** {@code (W - mean) / sqrt(var_unbiased + eps)}: the official BCN ImageNet code. */
    UNBIASED_VAR,
    /** {@code (W - mean) / (std_unbiased + eps)}: the official WS README snippet and DeepLab code. */
    UNBIASED_STD
}
