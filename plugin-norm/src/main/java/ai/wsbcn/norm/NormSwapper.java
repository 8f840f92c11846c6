package ai.wsbcn.norm;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.ParallelBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.util.Pair;
import ai.wsbcn.util.ArrayOverwrite;

import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The "flip one flag" feature for models built from DJL's containers: replaces every batch norm (DJL's
 * {@code BatchNorm}, {@link BatchNorm2d}, {@link FrozenBatchNorm}) by the spec's norm and, when the spec has WS,
 * every {@link Conv2d} directly followed by a normalisation layer by a {@link WsConv2d}. That is the paper's rule:
 * convolutions producing logits or box deltas have no norm after them and stay plain. Existing conv weights and
 * biases are copied; a batch norm swapped for {@code frozen-bn} or {@code bn} keeps its affine and running
 * statistics; other new norm layers start from their default initialisation. Excluded paths must name blocks of the
 * model. The result must be initialised before use (copied values survive {@code initialize}).
 *
 * <p>DJL containers are immutable once built, so {@link SequentialBlock} and {@link ParallelBlock} are rebuilt with
 * the same children order (names are positional, so parameter paths stay the same). {@code LambdaBlock}s have no
 * parameters and are kept. Custom composite blocks cannot be rebuilt generically; they are reported in
 * {@link SwapReport#untouched()} and should be built with a {@link NormSpec} instead.
 */
public final class NormSwapper {

    private final NormSpec spec;
    private final Set<String> excludedPaths;
    private final NDManager manager;
    private SwapReport report;

    private NormSwapper(NormSpec spec, Set<String> excludedPaths, NDManager manager) {
        this.spec = spec;
        this.excludedPaths = excludedPaths;
        this.manager = manager;
    }

    /** Swaps norms (and convs before them, for +ws specs) in {@code block}; see {@link #swap(Block, NormSpec, Set)}. */
    public static Result swap(Block block, NormSpec spec) {
        return swap(block, spec, Set.of());
    }

    /**
     * Swaps norms (and convs before them, for +ws specs) in {@code block}.
     *
     * @param excluded torch-style paths (as {@link BlockPaths} names blocks, e.g. {@code "3.1.0"}) of blocks to keep
     *     exactly as they are, with everything inside them
     */
    public static Result swap(Block block, NormSpec spec, Set<String> excluded) {
        Set<String> paths = BlockPaths.blocks(block).keySet();
        List<String> unknown = excluded.stream().filter(p -> !paths.contains(p)).sorted().toList();
        if (!unknown.isEmpty()) {
            // a typo would otherwise swap the very block the caller meant to keep
            throw new IllegalArgumentException("excluded paths " + unknown + " name no block of the model; paths"
                    + " are BlockPaths.blocks' keys, e.g. " + paths.stream().filter(p -> !p.isEmpty()).limit(8)
                    .toList());
        }
        NDManager m = firstInitializedManager(block);
        NormSwapper s = new NormSwapper(spec, Set.copyOf(excluded), m);
        s.report = new SwapReport();
        Block out = s.rewrite(block, "");
        return new Result(out, s.report);
    }

    /** The swapped block and what was done. */
    public record Result(Block block, SwapReport report) {}

    private Block rewrite(Block block, String path) {
        if (excludedPaths.contains(path)) {
            report.excluded(path);
            return block;
        }
        if (isNorm(block)) {
            return swapNorm(block, -1);
        }
        if (block instanceof SequentialBlock) {
            return rewriteSequential((SequentialBlock) block, path);
        }
        if (block instanceof ParallelBlock) {
            List<Block> children = new ArrayList<>();
            int i = 0;
            for (Pair<String, Block> child : block.getChildren()) {
                children.add(rewrite(child.getValue(), join(path, i++)));
            }
            return new ParallelBlock(joinFunction((ParallelBlock) block), children);
        }
        if (!block.getChildren().isEmpty() && containsNorm(block)) {
            report.untouched(path.isEmpty() ? "<root>" : path);
        }
        return block;
    }

    private Block rewriteSequential(SequentialBlock seq, String path) {
        List<Block> old = new ArrayList<>();
        for (Pair<String, Block> child : seq.getChildren()) {
            old.add(child.getValue());
        }
        SequentialBlock out = new SequentialBlock();
        out.setReturnIntermediate(seq.isReturnIntermediate());
        int lastFilters = -1;
        for (int i = 0; i < old.size(); i++) {
            Block child = old.get(i);
            String childPath = join(path, i);
            if (excludedPaths.contains(childPath)) {
                report.excluded(childPath);
                out.add(child);
                continue;
            }
            boolean normFollows = i + 1 < old.size() && isNorm(old.get(i + 1))
                    && !excludedPaths.contains(join(path, i + 1));
            if (child instanceof Conv2d && !(child instanceof WsConv2d) && spec.hasWs() && normFollows
                    && ((Conv2d) child).getKernelShape().dimension() == 2) {
                out.add(toWs((Conv2d) child));
                lastFilters = ((Conv2d) child).getFilters();
            } else if (isNorm(child)) {
                out.add(swapNorm(child, lastFilters));
            } else {
                if (child instanceof Conv2d) {
                    lastFilters = ((Conv2d) child).getFilters();
                }
                out.add(rewrite(child, childPath));
            }
        }
        return out;
    }

    private static String join(String path, int index) {
        return path.isEmpty() ? Integer.toString(index) : path + "." + index;
    }

    static boolean isNorm(Block b) {
        return b instanceof BatchNorm || b instanceof BatchNorm2d || b instanceof FrozenBatchNorm;
    }

    private static boolean containsNorm(Block b) {
        if (isNorm(b)) {
            return true;
        }
        for (Pair<String, Block> child : b.getChildren()) {
            if (containsNorm(child.getValue())) {
                return true;
            }
        }
        return false;
    }

    private Block swapNorm(Block old, int channelHint) {
        int channels = channelsOf(old, channelHint);
        Block norm = channels > 0 ? spec.buildNorm(channels) : buildUnsized();
        report.count(old.getClass().getSimpleName() + " -> " + norm.getClass().getSimpleName());
        boolean sameStatistics = spec.kind() == NormSpec.Kind.FROZEN_BN || spec.kind() == NormSpec.Kind.BN;
        if (sameStatistics && old.isInitialized() && manager != null) {
            keepStatistics(old, norm);
        }
        return norm;
    }

    /**
     * A batch norm swapped for frozen BN (the fine-tuning baseline) or for BN keeps what it learnt: its affine and
     * running statistics are copied by parameter type (DJL's {@code gamma}/{@code beta}/{@code runningMean}/
     * {@code runningVar} or ours, {@code weight}/{@code bias}/{@code running_mean}/{@code running_var}). Other norms
     * normalise differently, so their layers start from their default initialisation.
     */
    private void keepStatistics(Block old, Block norm) {
        Map<Parameter.Type, NDArray> from = new EnumMap<>(Parameter.Type.class);
        for (Pair<String, Parameter> p : old.getParameters()) {
            from.put(p.getValue().getType(), p.getValue().getArray());
        }
        NDArray any = from.values().iterator().next();
        norm.initialize(manager, any.getDataType(), old.getInputShapes());
        for (Pair<String, Parameter> p : norm.getParameters()) {
            NDArray value = from.get(p.getValue().getType());
            if (value != null) {
                ArrayOverwrite.from(value, p.getValue().getArray());
            }
        }
        report.count("statistics kept");
    }

    /** A norm whose channel count is only known at initialisation (auto groups resolve then). */
    private Block buildUnsized() {
        switch (spec.kind()) {
            case GN:
                return GroupNorm.builder().optGroups(spec.groups()).build();
            case BCN:
                return BatchChannelNorm.builder().optGroups(spec.groups()).optMode(spec.bcnMode()).build();
            default:
                return spec.buildNorm(1);
        }
    }

    private static int channelsOf(Block norm, int hint) {
        for (Pair<String, Parameter> p : norm.getParameters()) {
            Shape shape = p.getValue().getShape();
            if (shape != null && shape.dimension() == 1) {
                return Math.toIntExact(shape.get(0));
            }
        }
        return hint;
    }

    private WsConv2d toWs(Conv2d conv) {
        WsConv2d ws = WsConv2d.builder().setKernelShape(conv.getKernelShape()).setFilters(conv.getFilters())
                .optStride(conv.getStride()).optPadding(conv.getPadding()).optDilation(conv.getDilation())
                .optGroups(conv.getGroups()).optBias(conv.isIncludeBias()).optConvention(spec.wsConvention())
                .build();
        report.count("Conv2d -> WsConv2d");
        if (conv.isInitialized() && manager != null) {
            Shape[] inputShapes = conv.getInputShapes();
            NDArray w = conv.getParameters().get("weight").getArray();
            ws.initialize(manager, w.getDataType(), inputShapes);
            for (Pair<String, Parameter> p : conv.getParameters()) {
                ArrayOverwrite.from(p.getValue().getArray(), ws.getParameters().get(p.getKey()).getArray());
            }
        }
        return ws;
    }

    private static NDManager firstInitializedManager(Block block) {
        for (Pair<String, Parameter> p : block.getParameters()) {
            if (p.getValue().isInitialized()) {
                return p.getValue().getArray().getManager();
            }
        }
        return null;
    }

    /**
     * ParallelBlock keeps its join function private and has no getter; rebuilding the block needs it, so it is read
     * reflectively (DJL 0.35's field name). If a DJL upgrade renames it, this fails loudly here.
     */
    @SuppressWarnings("unchecked")
    private static Function<List<NDList>, NDList> joinFunction(ParallelBlock block) {
        try {
            Field f = ParallelBlock.class.getDeclaredField("function");
            f.setAccessible(true);
            return (Function<List<NDList>, NDList>) f.get(block);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot read ParallelBlock's join function (DJL version change?)", e);
        }
    }

    /**
     * For inference and export: returns an equivalent block in which every {@link WsConv2d} is a plain
     * {@link Conv2d} with its standardised weight, and every {@link FrozenBatchNorm} that directly follows a
     * convolution in a {@link SequentialBlock} is folded into that convolution ({@code W' = W * scale},
     * {@code b' = b * scale + shift}). Same outputs, less work. {@code block} must be initialised.
     */
    public static Block fold(Block block, NDManager manager) {
        if (block instanceof WsConv2d) {
            return ((WsConv2d) block).fold(manager);
        }
        if (block instanceof ParallelBlock) {
            List<Block> children = new ArrayList<>();
            for (Pair<String, Block> child : block.getChildren()) {
                children.add(fold(child.getValue(), manager));
            }
            return new ParallelBlock(joinFunction((ParallelBlock) block), children);
        }
        if (!(block instanceof SequentialBlock)) {
            return block;
        }
        SequentialBlock seq = (SequentialBlock) block;
        List<Block> old = new ArrayList<>();
        for (Pair<String, Block> child : seq.getChildren()) {
            old.add(child.getValue());
        }
        SequentialBlock out = new SequentialBlock();
        out.setReturnIntermediate(seq.isReturnIntermediate());
        for (int i = 0; i < old.size(); i++) {
            Block child = old.get(i);
            if (child instanceof Conv2d && i + 1 < old.size() && old.get(i + 1) instanceof FrozenBatchNorm
                    && !seq.isReturnIntermediate()) {
                out.add(ConvBnFolding.fold((Conv2d) child, (FrozenBatchNorm) old.get(i + 1), manager));
                i++;
            } else {
                out.add(fold(child, manager));
            }
        }
        return out;
    }
}
