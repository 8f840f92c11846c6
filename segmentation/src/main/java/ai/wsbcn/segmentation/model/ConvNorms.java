package ai.wsbcn.segmentation.model;

import ai.wsbcn.norm.NormSpec;
import ai.wsbcn.util.InvalidInputException;

import java.util.Locale;

/** Turns a {@code --norm} value into a {@link ConvNorm}. */
public final class ConvNorms {

    private ConvNorms() {}

    /**
     * {@code djl-bn} is DJL's own conv + batch norm; everything else ({@code bn}, {@code gn}, {@code gn+ws},
     * {@code bn+ws}, {@code bcn+ws}, {@code frozen-bn}, {@code none}, group counts like {@code gn(16)+ws}) is
     * plugin-norm's {@link NormSpec}.
     */
    public static ConvNorm parse(String norm) {
        String s = norm.toLowerCase(Locale.ROOT).strip();
        if (s.equals("djl-bn")) {
            return ConvNorm.djlBatchNorm();
        }
        try {
            return new NormSpecConvNorm(NormSpec.parse(s));
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException("--norm: " + e.getMessage() + "; or djl-bn", e);
        }
    }
}
