package ai.wsbcn.detection.model.poolers;

import ai.wsbcn.detection.box.Boxes;

/**
 * FPN paper eq. 1 as torchvision's {@code LevelMapper}: k = floor(4 + log2(sqrt(area) / 224) + 1e-6), clamped to
 * [kMin, kMax]; float32 arithmetic.
 */
public final class LevelMapper {

    private static final float CANONICAL_SCALE = 224f;
    private static final float CANONICAL_LEVEL = 4f;
    private static final float EPS = 1e-6f;

    private final int kMin;
    private final int kMax;

    /** (2, 5) for P2..P5. */
    public LevelMapper(int kMin, int kMax) {
        if (kMin > kMax) {
            throw new IllegalArgumentException("level mapper: kMin " + kMin + " > kMax " + kMax);
        }
        this.kMin = kMin;
        this.kMax = kMax;
    }

    public int kMin() {
        return kMin;
    }

    public int kMax() {
        return kMax;
    }

    /** The unclamped, unfloored level {@code 4 + log2(sqrt(area)/224) + 1e-6} per box. */
    public float[] rawLevels(float[] boxes) {
        float[] area = Boxes.area(boxes);
        float[] out = new float[area.length];
        for (int i = 0; i < area.length; i++) {
            float s = (float) Math.sqrt(area[i]);
            float log2 = (float) (Math.log(s / CANONICAL_SCALE) / Math.log(2));
            out[i] = CANONICAL_LEVEL + log2 + EPS;
        }
        return out;
    }

    /** The absolute level k (kMin..kMax) per box. */
    public int[] levels(float[] boxes) {
        float[] raw = rawLevels(boxes);
        int[] out = new int[raw.length];
        for (int i = 0; i < raw.length; i++) {
            // An empty box has raw level -inf (area 0) and goes to kMin; NaN coordinates too.
            out[i] = Float.isNaN(raw[i]) ? kMin : (int) Math.min(Math.max(Math.floor(raw[i]), kMin), kMax);
        }
        return out;
    }
}
