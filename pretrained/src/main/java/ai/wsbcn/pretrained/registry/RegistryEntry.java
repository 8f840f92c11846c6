package ai.wsbcn.pretrained.registry;

/**
 * One named backbone in the local registry: its architecture and norm (so it can be rebuilt), the WS convention it
 * was trained with, where it came from, and the sha256 of the stored file (checked by {@code verify}).
 */
public record RegistryEntry(String name, String arch, String norm, String wsConvention, String source, String file,
        String sha256, int tensors) {}
