package ai.wsbcn.norm;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;

/** Helpers shared by the norm layers: per-channel parameters and broadcasting them over (N, C, ...) inputs. */
final class ChannelParams {

    private ChannelParams() {}

    static Parameter trainable(String name, Parameter.Type type) {
        return Parameter.builder().setName(name).setType(type).optRequiresGrad(true).build();
    }

    static Parameter frozen(String name, Parameter.Type type) {
        return Parameter.builder().setName(name).setType(type).optRequiresGrad(false).build();
    }

    /** Reshapes a (C) vector to (1, C, 1, ...) for an input of {@code rank} dimensions. */
    static NDArray perChannel(NDArray v, int rank) {
        long[] dims = new long[rank];
        java.util.Arrays.fill(dims, 1);
        dims[1] = v.size();
        return v.reshape(new Shape(dims));
    }

    static int channels(Shape input, String layer) {
        if (input.dimension() < 2) {
            throw new IllegalArgumentException(layer + " expects an input of shape (N, C, ...), got " + input);
        }
        return Math.toIntExact(input.get(1));
    }

    /**
     * Resolves a group count and checks that it divides C. Auto (0) is min(32, C/4), the paper's rule, or where that
     * does not divide C (C = 136, say) the largest count below it that does: an automatic choice never fails.
     */
    static int resolveGroups(int requested, int channels, String layer) {
        int groups = requested;
        if (requested == 0) {
            groups = Math.max(1, Math.min(32, channels / 4));
            while (channels % groups != 0) {
                groups--;
            }
        }
        if (groups <= 0 || channels % groups != 0) {
            throw new InvalidNormException(layer + ": " + channels + " channels cannot be split into " + groups
                    + " groups (the channel count must be a multiple of the group count)");
        }
        return groups;
    }
}
