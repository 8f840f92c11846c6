package ai.wsbcn.pretrained.io;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Brings a state dict as PyTorch code writes it to the layout of wsbcn's layers, for what has one meaning only:
 * <ul>
 *   <li>{@code num_batches_tracked} (every torch {@code BatchNorm} since 0.4.1) and the official EstBN's
 *       {@code estbn_moving_speed} are dropped: bookkeeping counters our layers do not keep (BN here uses a fixed
 *       momentum, and BCN's estimate rate is the trainer's learning rate), so every torchvision checkpoint would
 *       otherwise carry "unexpected" keys;</li>
 *   <li>the official BCN code's group affine {@code weight}/{@code bias} of shape {@code (1, G, 1)} becomes
 *       {@code (G)}, the same values, where the layer also holds a {@code batch_weight} (after renaming).</li>
 * </ul>
 */
public final class CheckpointLayout {

    private CheckpointLayout() {}

    /** The state dict in wsbcn's layout (order kept). */
    public static Map<String, TensorData> toModelLayout(Map<String, TensorData> stateDict) {
        Map<String, TensorData> out = new LinkedHashMap<>();
        stateDict.forEach((k, v) -> {
            if (!isBookkeeping(k)) {
                out.put(k, isBcnGroupAffine(k, v, stateDict) ? squeezed(v) : v);
            }
        });
        return out;
    }

    static boolean isBookkeeping(String key) {
        return key.endsWith("num_batches_tracked") || key.endsWith("estbn_moving_speed");
    }

    private static boolean isBcnGroupAffine(String key, TensorData t, Map<String, TensorData> sd) {
        int dot = key.lastIndexOf('.');
        String leaf = key.substring(dot + 1);
        long[] s = t.shape();
        return (leaf.equals("weight") || leaf.equals("bias")) && s.length == 3 && s[0] == 1 && s[2] == 1
                && sd.containsKey(key.substring(0, dot + 1) + "batch_weight");
    }

    private static TensorData squeezed(TensorData t) {
        return new TensorData(t.type(), new long[] {t.shape()[1]}, t.bytes());
    }
}
