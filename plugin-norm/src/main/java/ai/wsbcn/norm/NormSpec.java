package ai.wsbcn.norm;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.convolutional.Conv2d;

import java.util.Locale;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A normalisation choice as users write it on the command line ({@code --norm gn+ws}), and the only place such
 * strings are understood. Accepted, case-insensitively: {@code none}, {@code bn}, {@code frozen-bn} (or
 * {@code frozenbn}), {@code gn}, {@code bcn}, optionally with a group count for gn/bcn ({@code gn(16)}), each
 * optionally followed by {@code +ws}, which may name the official code's WS convention: {@code +ws(unbiased)}
 * ({@link WsConvention#UNBIASED_VAR}) or {@code +ws(std)} ({@link WsConvention#UNBIASED_STD}); plain {@code +ws} is the
 * paper's biased variance. Without a group count gn and bcn use min(32, C/4) groups.
 */
public final class NormSpec {

    /** The normalisation layer family. */
    public enum Kind {
        NONE("none"),
        BN("bn"),
        FROZEN_BN("frozen-bn"),
        GN("gn"),
        BCN("bcn");

        private final String token;

        Kind(String token) {
            this.token = token;
        }

        public String token() {
            return token;
        }
    }

    /** Strings {@link #parse} accepts, for error messages and help texts. */
    public static final String VALID = "none, bn, bn+ws, frozen-bn (frozenbn), frozen-bn+ws, gn, gn+ws, bcn, bcn+ws,"
            + " with an optional group count for gn/bcn: gn(16)+ws, bcn(32)+ws; +ws(unbiased) and +ws(std) for the"
            + " official code's WS conventions";

    private static final Pattern SYNTAX =
            Pattern.compile("(none|bn|frozen-?bn|gn|bcn)(?:\\((-?\\d+)\\))?(\\+ws(?:\\((unbiased|std)\\))?)?");

    private final Kind kind;
    private final int groups;
    private final boolean ws;
    private final float eps;
    private final WsConvention wsConvention;
    private final BatchChannelNorm.Mode bcnMode;

    private NormSpec(Kind kind, int groups, boolean ws, float eps, WsConvention wsConvention,
            BatchChannelNorm.Mode bcnMode) {
        this.kind = kind;
        this.groups = groups;
        this.ws = ws;
        this.eps = eps;
        this.wsConvention = wsConvention;
        this.bcnMode = bcnMode;
    }

    /**
     * Parses a norm string.
     *
     * @throws InvalidNormException naming the string and listing the valid ones
     */
    public static NormSpec parse(String text) {
        Objects.requireNonNull(text, "norm string");
        String s = text.trim().toLowerCase(Locale.ROOT).replace(" ", "");
        Matcher m = SYNTAX.matcher(s);
        if (!m.matches()) {
            throw new InvalidNormException("unknown norm '" + text + "'; valid: " + VALID);
        }
        String name = m.group(1);
        Kind kind = name.startsWith("frozen") ? Kind.FROZEN_BN : Kind.valueOf(name.toUpperCase(Locale.ROOT));
        int groups = 0;
        if (m.group(2) != null) {
            if (kind != Kind.GN && kind != Kind.BCN) {
                throw new InvalidNormException("norm '" + text + "': only gn and bcn take a group count; valid: "
                        + VALID);
            }
            try {
                groups = Integer.parseInt(m.group(2));
            } catch (NumberFormatException e) {
                groups = -1; // more digits than an int holds
            }
            if (groups <= 0) {
                throw new InvalidNormException("norm '" + text + "': the group count must be a positive int; valid: "
                        + VALID);
            }
        }
        boolean ws = m.group(3) != null;
        if (kind == Kind.NONE && ws) {
            // WS without a following norm is what the paper warns against (elimination singularities aside, the
            // scale of activations is then unconstrained); keep it expressible only deliberately, via withWs.
            throw new InvalidNormException("norm '" + text + "': +ws needs a normalisation layer; valid: "
                    + VALID);
        }
        return new NormSpec(kind, groups, ws, 1e-5f, wsConvention(m.group(4)), BatchChannelNorm.Mode.MICRO);
    }

    /** The convention a {@code +ws(...)} suffix names: none is the paper's biased variance. */
    private static WsConvention wsConvention(String token) {
        if (token == null) {
            return WsConvention.BIASED_VAR;
        }
        return token.equals("std") ? WsConvention.UNBIASED_STD : WsConvention.UNBIASED_VAR;
    }

    /** The suffix that names {@code c} in a norm string; the inverse of {@link #wsConvention(String)}. */
    private static String wsSuffix(WsConvention c) {
        switch (c) {
            case UNBIASED_VAR:
                return "+ws(unbiased)";
            case UNBIASED_STD:
                return "+ws(std)";
            default:
                return "+ws";
        }
    }

    public Kind kind() {
        return kind;
    }

    public boolean hasWs() {
        return ws;
    }

    /** Whether {@link #buildNorm} makes a real normalisation layer (false for {@code none}). */
    public boolean hasNorm() {
        return kind != Kind.NONE;
    }

    /** The group count for gn/bcn; 0 means auto, min(32, C/4). */
    public int groups() {
        return groups;
    }

    public WsConvention wsConvention() {
        return wsConvention;
    }

    public BatchChannelNorm.Mode bcnMode() {
        return bcnMode;
    }

    /** The same spec with another WS convention (e.g. to load checkpoints trained with the official variants). */
    public NormSpec withWsConvention(WsConvention convention) {
        return new NormSpec(kind, groups, ws, eps, Objects.requireNonNull(convention), bcnMode);
    }

    /** The same spec with BCN in the given mode (MICRO by default; LARGE is GN(BN(x)) for large batches). */
    public NormSpec withBcnMode(BatchChannelNorm.Mode mode) {
        return new NormSpec(kind, groups, ws, eps, wsConvention, Objects.requireNonNull(mode));
    }

    /** The same spec with or without weight standardisation. */
    public NormSpec withWs(boolean standardize) {
        return new NormSpec(kind, groups, standardize, eps, wsConvention, bcnMode);
    }

    /** The same spec with frozen batch norm in place of any norm, e.g. for frozen backbone stages. */
    public NormSpec frozen() {
        return new NormSpec(Kind.FROZEN_BN, 0, ws, eps, wsConvention, bcnMode);
    }

    /** The group count this spec uses for {@code channels} channels. */
    public int groupsFor(int channels) {
        return ChannelParams.resolveGroups(groups, channels, toString());
    }

    /**
     * A normalisation block for {@code channels} channels; checks the group count against the channel count now,
     * so that a bad pairing fails when the model is built rather than at its first forward.
     */
    public Block buildNorm(int channels) {
        switch (kind) {
            case NONE:
                return new Identity();
            case BN:
                return BatchNorm2d.builder().optEps(eps).build();
            case FROZEN_BN:
                return FrozenBatchNorm.builder().optEps(eps).build();
            case GN:
                return GroupNorm.builder().optGroups(groupsFor(channels)).optEps(eps).build();
            case BCN:
                return BatchChannelNorm.builder().optGroups(groupsFor(channels)).optEps(eps).optMode(bcnMode).build();
            default:
                throw new AssertionError(kind);
        }
    }

    /** A convolution for {@code conv}: a {@link WsConv2d} when this spec has WS, else a plain {@link Conv2d}. */
    public Block buildConv(ConvSpec conv) {
        Shape k = new Shape(conv.kernel(), conv.kernel());
        Shape s = new Shape(conv.stride(), conv.stride());
        Shape p = new Shape(conv.padding(), conv.padding());
        Shape d = new Shape(conv.dilation(), conv.dilation());
        if (ws) {
            return WsConv2d.builder().setKernelShape(k).setFilters(conv.filters()).optStride(s).optPadding(p)
                    .optDilation(d).optGroups(conv.groups()).optBias(conv.bias()).optEps(eps)
                    .optConvention(wsConvention).build();
        }
        return Conv2d.builder().setKernelShape(k).setFilters(conv.filters()).optStride(s).optPadding(p)
                .optDilation(d).optGroups(conv.groups()).optBias(conv.bias()).build();
    }

    /**
     * The canonical form, e.g. {@code gn+ws}, {@code bcn(16)+ws}, {@code gn(32)+ws(std)}, {@code frozen-bn}: parsing
     * it gives this spec back (but for eps and the BCN mode, which no string names), so a saved model's norm string
     * rebuilds the same layers.
     */
    @Override
    public String toString() {
        return kind.token() + (groups > 0 ? "(" + groups + ")" : "") + (ws ? wsSuffix(wsConvention) : "");
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof NormSpec)) {
            return false;
        }
        NormSpec other = (NormSpec) o;
        return kind == other.kind && groups == other.groups && ws == other.ws && eps == other.eps
                && wsConvention == other.wsConvention && bcnMode == other.bcnMode;
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind, groups, ws, eps, wsConvention, bcnMode);
    }
}
