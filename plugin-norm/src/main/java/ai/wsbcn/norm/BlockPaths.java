package ai.wsbcn.norm;

import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.util.Pair;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * PyTorch-style dotted names for the blocks and parameters of a DJL block tree, so that checkpoints, the norm
 * swapper's exclusions and logs speak the names users know from {@code state_dict()} ({@code layer1.0.conv1.weight}).
 *
 * <p>DJL stores a child as {@code "%02d" + name} (its position, then the given name): the two-digit position is
 * dropped. Children of a {@link SequentialBlock} are named by their 0-based index, as in {@code nn.Sequential}.
 */
public final class BlockPaths {

    private BlockPaths() {}

    /** Every parameter of {@code root} by dotted name, in DJL's (deterministic) child order. */
    public static Map<String, Parameter> parameters(Block root) {
        Map<String, Parameter> out = new LinkedHashMap<>();
        collectParameters(root, "", out);
        return out;
    }

    /** Every block of the tree by dotted path; the root is under {@code ""}. */
    public static Map<String, Block> blocks(Block root) {
        Map<String, Block> out = new LinkedHashMap<>();
        collectBlocks(root, "", out);
        return out;
    }

    /** The torch-style name of child number {@code index} (0-based) of {@code parent} stored by DJL as {@code djlName}. */
    public static String childName(Block parent, int index, String djlName) {
        if (parent instanceof SequentialBlock) {
            return Integer.toString(index);
        }
        if (djlName.length() > 2 && Character.isDigit(djlName.charAt(0)) && Character.isDigit(djlName.charAt(1))) {
            return djlName.substring(2);
        }
        return djlName;
    }

    /** Joins a parent path and a child name with a dot (no dot at the root). */
    public static String join(String prefix, String name) {
        return prefix.isEmpty() ? name : prefix + "." + name;
    }

    private static void collectParameters(Block block, String prefix, Map<String, Parameter> out) {
        for (Pair<String, Parameter> p : block.getDirectParameters()) {
            out.put(join(prefix, p.getKey()), p.getValue());
        }
        int i = 0;
        for (Pair<String, Block> child : block.getChildren()) {
            collectParameters(child.getValue(), join(prefix, childName(block, i++, child.getKey())), out);
        }
    }

    private static void collectBlocks(Block block, String prefix, Map<String, Block> out) {
        out.put(prefix, block);
        int i = 0;
        for (Pair<String, Block> child : block.getChildren()) {
            collectBlocks(child.getValue(), join(prefix, childName(block, i++, child.getKey())), out);
        }
    }
}
