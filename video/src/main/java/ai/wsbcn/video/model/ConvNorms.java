package ai.wsbcn.video.model;

import ai.wsbcn.norm.NormSpec;
import ai.wsbcn.util.InvalidInputException;

import java.util.Locale;

/** Turns a {@code --norm} value into a {@link ConvNorm}: plugin-norm's {@link NormSpec} strings. */
public final class ConvNorms {

    private ConvNorms() {}

    /**
     * Any {@link NormSpec} string ({@code bn}, {@code bn+ws}, {@code gn}, {@code gn(16)+ws}, {@code bcn+ws},
     * {@code frozen-bn}, {@code none}); also {@code djl-bn}, DJL's own {@code BatchNorm} block, kept for comparison.
     */
    public static ConvNorm parse(String spec) {
        if (spec.strip().toLowerCase(Locale.ROOT).equals("djl-bn")) {
            return ConvNorm.batchNorm();
        }
        try {
            return new NormSpecConvNorm(NormSpec.parse(spec));
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException("--norm: " + e.getMessage(), e);
        }
    }
}
