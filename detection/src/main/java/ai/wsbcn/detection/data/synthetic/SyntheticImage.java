package ai.wsbcn.detection.data.synthetic;

import java.util.List;

/** A rendered synthetic image: {@code height x width x 3} BGR bytes (row-major) and its annotated instances. */
public record SyntheticImage(int width, int height, byte[] bgr, List<SyntheticInstance> instances) {}
