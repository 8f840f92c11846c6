package ai.wsbcn.norm.bench;

import ai.djl.engine.Engine;
import ai.djl.mxnet.engine.MxNDArray;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.LambdaBlock;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.wsbcn.norm.ConvSpec;
import ai.wsbcn.norm.NormSpec;
import ai.wsbcn.norm.engine.ScalarOps;
import ai.wsbcn.norm.train.BcnRates;
import ai.wsbcn.util.EngineKernels;
import ai.wsbcn.util.NativeAllocator;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Times forward + backward of each norm layer alone (and of a 3x3 conv with and without WS) on the shapes of a
 * ResNet-50's stages at micro-batch sizes, on the current default engine. Medians over repeated runs; ratios are
 * to frozen BN, the cheapest baseline. The first row, {@code identity} ({@code x * 1}), is the harness's own cost
 * (one element-wise op, the scalar head and its backward). {@code bench/pytorch_norms.py} times the same things with
 * PyTorch.
 *
 * <p>The scalar head is each engine's cheapest exact form of {@code y.sum()} (gradient all ones): on MXNet
 * {@code sum(y * ones)} as one tensordot over every axis ({@link ScalarOps#innerProduct}: a BLAS dot each way, no
 * reshape copy), because its generic sum reduction and broadcast backward took ~7 ms on 1x256x56x56, as much as the
 * frozen-BN layer under test; on PyTorch {@code sum()}, where a dot costs ~1 ms more (native PyTorch, measured). The clock starts after MXNet's
 * asynchronous engine has finished the input copy and the zeroed gradient, and stops when it has finished the
 * backward (before 2026-12-06 both were inside the clock, and the stop read a value through a full-size reshape copy).
 */
public final class NormLayerBenchmark {

    /** The shapes of the issue: three ResNet-50 stages at batch 1, and a larger batch-2 map. */
    public static final List<Shape> SHAPES = List.of(new Shape(1, 256, 56, 56), new Shape(1, 512, 28, 28),
            new Shape(1, 1024, 14, 14), new Shape(2, 256, 128, 128));
    public static final List<String> NORMS = List.of("frozen-bn", "bn", "gn", "bcn");

    private final int repeats;
    private final int warmup;

    public NormLayerBenchmark(int repeats, int warmup) {
        this.repeats = repeats;
        this.warmup = warmup;
    }

    /** Median milliseconds of forward+backward of {@code norm} on {@code shape}. */
    public double timeNorm(NDManager m, String norm, Shape shape) {
        Block block = NormSpec.parse(norm).buildNorm((int) shape.get(1));
        return time(m, block, shape);
    }

    /** Median milliseconds of forward+backward of {@code x * 1}: what the harness costs without a layer. */
    public double timeIdentity(NDManager m, Shape shape) {
        return time(m, new LambdaBlock(in -> new NDList(in.singletonOrThrow().mul(1f))), shape);
    }

    /** Median milliseconds of forward+backward of a 3x3 conv (C -> C channels), standardised or not. */
    public double timeConv(NDManager m, boolean ws, Shape shape) {
        Block block = NormSpec.parse(ws ? "gn+ws" : "gn").buildConv(ConvSpec.builder().setKernel(3)
                .setFilters((int) shape.get(1)).optPadding(1).build());
        return time(m, block, shape);
    }

    private double time(NDManager m, Block block, Shape shape) {
        try (NDManager scope = m.newSubManager()) {
            block.initialize(scope, DataType.FLOAT32, shape);
            BcnRates.set(block, 0.01f);
            NDArray data = scope.randomNormal(shape);
            NDArray ones = "MXNet".equals(m.getEngine().getEngineName()) ? scope.ones(shape) : null;
            ParameterStore ps = new ParameterStore(scope, false);
            double[] ms = new double[repeats];
            for (int i = -warmup; i < repeats; i++) {
                try (NDManager step = scope.newSubManager()) {
                    NDArray x = data.duplicate();
                    x.attach(step);
                    x.setRequiresGradient(true);
                    awaitEngine(x.getGradient());
                    long t0 = System.nanoTime();
                    try (GradientCollector gc = Engine.getEngine(m.getEngine().getEngineName())
                            .newGradientCollector()) {
                        NDArray y = block.forward(ps, new NDList(x), true).singletonOrThrow();
                        // a scalar head: MXNet 1.9 crashes (SIGFPE) on repeated backward of a non-scalar here
                        gc.backward(ones == null ? y.sum() : ScalarOps.innerProduct(y, ones));
                    }
                    awaitEngine(x.getGradient());
                    if (i >= 0) {
                        ms[i] = (System.nanoTime() - t0) / 1e6;
                    }
                }
            }
            Arrays.sort(ms);
            return ms[repeats / 2];
        }
    }

    /**
     * Waits until MXNet's asynchronous engine has written {@code a} (and everything queued before it); PyTorch's CPU
     * operators have finished when they return.
     */
    private static void awaitEngine(NDArray a) {
        if (a instanceof MxNDArray) {
            ((MxNDArray) a).waitAll();
        }
    }

    /** Runs the table on the default engine: {@code java ... NormLayerBenchmark [repeats] [warmup]}. */
    public static void main(String[] args) {
        int repeats = args.length > 0 ? Integer.parseInt(args[0]) : 11;
        int warmup = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        try (NDManager m = Engine.getInstance().newBaseManager()) {
            new NormLayerBenchmark(repeats, warmup).run(m, System.out);
        }
    }

    /** Runs the whole table and prints it. */
    public Map<String, double[]> run(NDManager m, PrintStream out) {
        Map<String, double[]> rows = new LinkedHashMap<>();
        List<String> names = new ArrayList<>();
        names.add("identity");
        names.addAll(NORMS);
        names.add("conv3x3");
        names.add("ws-conv3x3");
        // untimed: the process's first forward+backward also pays for lazy initialisation (the first identity
        // cell came out 1.7-2x the frozen-BN one on MXNet without this)
        timeIdentity(m, SHAPES.get(0));
        for (String n : names) {
            double[] row = new double[SHAPES.size()];
            for (int s = 0; s < SHAPES.size(); s++) {
                Shape shape = SHAPES.get(s);
                row[s] = n.equals("identity") ? timeIdentity(m, shape)
                        : n.equals("conv3x3") ? timeConv(m, false, shape)
                        : n.equals("ws-conv3x3") ? timeConv(m, true, shape) : timeNorm(m, n, shape);
            }
            rows.put(n, row);
        }
        out.printf(Locale.ROOT, "engine %s, %s, forward+backward, median of %d runs (ms); ratio to frozen-bn in"
                + " ()%n", EngineKernels.label(m.getEngine().getEngineName()), NativeAllocator.describe(), repeats);
        StringBuilder header = new StringBuilder(String.format(Locale.ROOT, "%-12s", "layer"));
        for (Shape s : SHAPES) {
            header.append(String.format(Locale.ROOT, " %22s", s.toString().replace(" ", "")));
        }
        out.println(header);
        double[] base = rows.get("frozen-bn");
        for (Map.Entry<String, double[]> e : rows.entrySet()) {
            StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%-12s", e.getKey()));
            for (int s = 0; s < SHAPES.size(); s++) {
                line.append(String.format(Locale.ROOT, " %12.2f (%5.1fx)", e.getValue()[s],
                        e.getValue()[s] / base[s]));
            }
            out.println(line);
        }
        return rows;
    }
}
