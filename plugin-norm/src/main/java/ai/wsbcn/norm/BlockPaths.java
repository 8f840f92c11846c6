package ai.wsbcn.norm;

import ai.djl.nn.Block;
import ai.djl.nn.ParallelBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.util.Pair;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * PyTorch-style dotted names for the blocks and parameters of a DJL block tree, so that checkpoints, the norm
 * swapper's exclusions and logs speak the names users know from {@code state_dict()} ({@code layer1.0.conv1.weight}).
 *
 * <p>DJL stores a child as {@code "%02d" + name} (its position, then the given name): the two-digit position is
 * dropped. Children of a {@link SequentialBlock} or a {@link ParallelBlock} are named by their 0-based index, as in
 * {@code nn.Sequential} (DJL names them after their class, so two branches would otherwise share a name), and so are
 * any siblings whose names would collide: every parameter gets a name of its own.
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
        if (parent instanceof SequentialBlock || parent instanceof ParallelBlock) {
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

    /** The names of {@code parent}'s children in order: {@link #childName}, or the index where names collide. */
    static List<String> childNames(Block parent) {
        List<String> names = new ArrayList<>();
        int i = 0;
        for (Pair<String, Block> child : parent.getChildren()) {
            names.add(childName(parent, i++, child.getKey()));
        }
        Map<String, Integer> seen = new HashMap<>();
        names.forEach(n -> seen.merge(n, 1, Integer::sum));
        for (int k = 0; k < names.size(); k++) {
            if (seen.get(names.get(k)) > 1) {
                names.set(k, Integer.toString(k));
            }
        }
        return names;
    }

    private static void collectParameters(Block block, String prefix, Map<String, Parameter> out) {
        for (Pair<String, Parameter> p : block.getDirectParameters()) {
            out.put(join(prefix, p.getKey()), p.getValue());
        }
        List<String> names = childNames(block);
        int i = 0;
        for (Pair<String, Block> child : block.getChildren()) {
            collectParameters(child.getValue(), join(prefix, names.get(i++)), out);
        }
    }

    private static void collectBlocks(Block block, String prefix, Map<String, Block> out) {
        out.put(prefix, block);
        List<String> names = childNames(block);
        int i = 0;
        for (Pair<String, Block> child : block.getChildren()) {
            collectBlocks(child.getValue(), join(prefix, names.get(i++)), out);
        }
    }
}
