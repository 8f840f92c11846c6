package ai.wsbcn.pretrained.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import ai.wsbcn.norm.NormSpec;
import ai.wsbcn.norm.train.LrSchedule;
import ai.wsbcn.norm.train.MicroBatchTrainer;
import ai.wsbcn.norm.train.Sgd;
import ai.wsbcn.pretrained.backbone.ResNet;
import ai.wsbcn.pretrained.backbone.ResNets;
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
 * Seconds of one full training step (forward, backward, SGD update) of a ResNet classifier per norm, at the
 * micro-batch sizes and resolutions of the issue; the second half of {@code wsbcn bench norms}.
 *
 * <p>The norms of one setting are timed interleaved: one model per norm is built and warmed up, then every round
 * times one step of each norm, in an order that rotates from round to round. Timing one norm after the other let a
 * load change on a shared machine move a ratio by up to 0.5 between runs; interleaved, every norm sees the same
 * load, and the per-round ratio of two norms (whose steps ran seconds apart) is a paired measurement. The table
 * gives medians, and for each norm the median and range of its per-round ratio to {@code gn}, which is what the
 * targets (gn+ws at most 1.05x gn, bcn+ws at most 1.15x gn) are checked on.
 */
public final class ResNetStepBenchmark {

    public static final List<String> NORMS = List.of("frozen-bn", "gn", "gn+ws", "bcn+ws");
    /** The targets of the Foundation issue, as ratios of the step time to gn's. */
    public static final Map<String, Double> TARGET_RATIO_TO_GN = Map.of("gn+ws", 1.05, "bcn+ws", 1.15);
    private static final String REFERENCE = "gn";

    private final String arch;
    private final int rounds;
    private final int warmup;
    private final List<String> norms;
    /** The system property switched between two values per step in A/B mode; null for the comparison of norms. */
    private final AbSwitch ab;

    /**
     * @param rounds timed rounds (each times one step of every norm)
     * @param warmup untimed steps of each model before the first round
     * @param norms the norms to compare, as {@code --norm} strings
     */
    public ResNetStepBenchmark(String arch, int rounds, int warmup, List<String> norms) {
        this(arch, rounds, warmup, norms, null);
    }

    /**
     * A/B mode when {@code ab} is not null: every norm's ONE model is timed with the switch's system property set
     * to its "on" and to its "off" value, the two settings interleaved with the other
     * norms' in every round. Two models of the same norm differ by a few percent between them (weights, memory
     * placement), which a change of a few percent drowns in; the same model under both settings does not.
     */
    public ResNetStepBenchmark(String arch, int rounds, int warmup, List<String> norms, AbSwitch ab) {
        if (rounds < 1 || warmup < 0 || norms.isEmpty()) {
            throw new IllegalArgumentException("need rounds >= 1, warmup >= 0 and at least one norm");
        }
        norms.forEach(NormSpec::parse); // fail on a bad norm string before any model is built
        this.arch = arch;
        this.rounds = rounds;
        this.warmup = warmup;
        this.norms = List.copyOf(norms);
        this.ab = ab;
    }

    /** The key of a norm's times under one A/B setting. */
    static String abKey(String norm, boolean on) {
        return norm + (on ? " [on]" : " [off]");
    }

    /**
     * The step times of one (batch, size) setting: norm (or, in A/B mode, {@link #abKey}) -> seconds of each round,
     * in round order.
     */
    public Map<String, double[]> time(NDManager manager, int batch, int size) {
        String before = ab == null ? null : System.getProperty(ab.property());
        try (NDManager m = manager.newSubManager()) {
            List<Slot> slots = new ArrayList<>();
            for (String norm : norms) {
                StepRunner runner = new StepRunner(m, norm, batch, size);
                if (ab == null) {
                    slots.add(new Slot(norm, runner, null));
                } else {
                    slots.add(new Slot(abKey(norm, true), runner, Boolean.TRUE));
                    slots.add(new Slot(abKey(norm, false), runner, Boolean.FALSE));
                }
            }
            for (int i = 0; i < warmup; i++) {
                slots.forEach(Slot::step);
            }
            Map<String, double[]> seconds = new LinkedHashMap<>();
            slots.forEach(slot -> seconds.put(slot.key, new double[rounds]));
            for (int r = 0; r < rounds; r++) {
                for (int k = 0; k < slots.size(); k++) {
                    Slot slot = slots.get((r + k) % slots.size());
                    seconds.get(slot.key)[r] = slot.step();
                }
            }
            return seconds;
        } finally {
            if (ab != null && before == null) {
                System.clearProperty(ab.property());
            } else if (ab != null) {
                System.setProperty(ab.property(), before);
            }
        }
    }

    /** One timed column: a model, and in A/B mode the setting of the property for its steps. */
    private final class Slot {
        final String key;
        final StepRunner runner;
        final Boolean setting;

        Slot(String key, StepRunner runner, Boolean setting) {
            this.key = key;
            this.runner = runner;
            this.setting = setting;
        }

        double step() {
            if (setting != null) {
                System.setProperty(ab.property(), ab.value(setting));
            }
            return runner.step();
        }
    }

    /** Prints one table per (batch, size) setting. */
    public void run(NDManager m, int[][] settings, PrintStream out) {
        out.printf(Locale.ROOT, "%s training step (forward, backward, SGD), engine %s, %s; norms interleaved, %d"
                + " rounds after %d warm-up steps each (s: median [min-max]; ratio: median of the per-round ratios"
                + " [min-max])%n", arch, EngineKernels.label(m.getEngine().getEngineName()), NativeAllocator.describe(),
                rounds, warmup);
        for (int[] s : settings) {
            if (ab == null) {
                report(time(m, s[0], s[1]), s[0], s[1], out);
            } else {
                reportAb(time(m, s[0], s[1]), s[0], s[1], ab, out);
            }
        }
    }

    /** The A/B table of one setting: each norm's steps with the property on and off, and their per-round ratio. */
    public static void reportAb(Map<String, double[]> seconds, int batch, int size, AbSwitch ab, PrintStream out) {
        out.printf(Locale.ROOT, "%n%dx3x%dx%d, %s, same model%n%-10s %22s %22s %26s%n",
                batch, size, size, ab, "norm", "on (s)", "off (s)", "on / off (per round)");
        for (Map.Entry<String, double[]> e : seconds.entrySet()) {
            if (!e.getKey().endsWith(" [on]")) {
                continue;
            }
            String norm = e.getKey().substring(0, e.getKey().length() - " [on]".length());
            double[] on = e.getValue();
            double[] off = seconds.get(abKey(norm, false));
            double[] r = ratios(on, off);
            out.printf(Locale.ROOT, "%-10s %8.3f [%.3f-%.3f] %8.3f [%.3f-%.3f] %12.3fx [%.3f-%.3f]%n", norm, median(on),
                    min(on), max(on), median(off), min(off), max(off), median(r), min(r), max(r));
        }
    }

    /** The table of one setting: medians, ratios to frozen-bn and to gn, and the targets where they apply. */
    public static void report(Map<String, double[]> seconds, int batch, int size, PrintStream out) {
        out.printf(Locale.ROOT, "%n%dx3x%dx%d%n%-10s %22s %12s %26s%n", batch, size, size, "norm", "step (s)",
                "/ frozen-bn", "/ gn (per round)");
        double[] base = seconds.get(NORMS.get(0));
        double[] ref = seconds.get(REFERENCE);
        for (Map.Entry<String, double[]> e : seconds.entrySet()) {
            double[] t = e.getValue();
            String toBase = base == null ? "" : String.format(Locale.ROOT, "%.2fx", median(t) / median(base));
            String toRef = "";
            if (ref != null && t != ref) {
                double[] r = ratios(t, ref);
                toRef = String.format(Locale.ROOT, "%.2fx [%.2f-%.2f]", median(r), min(r), max(r));
                Double target = TARGET_RATIO_TO_GN.get(e.getKey());
                if (target != null) {
                    toRef += String.format(Locale.ROOT, " target %.2fx %s", target,
                            median(r) <= target ? "met" : "NOT met");
                }
            }
            out.printf(Locale.ROOT, "%-10s %8.3f [%.3f-%.3f] %12s %26s%n", e.getKey(), median(t), min(t), max(t),
                    toBase, toRef);
        }
    }

    /** Element-wise a[i] / b[i]: the ratio of two norms' steps in the same round. */
    static double[] ratios(double[] a, double[] b) {
        double[] r = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            r[i] = a[i] / b[i];
        }
        return r;
    }

    static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        int n = s.length;
        return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    }

    private static double min(double[] v) {
        return Arrays.stream(v).min().orElse(Double.NaN);
    }

    private static double max(double[] v) {
        return Arrays.stream(v).max().orElse(Double.NaN);
    }

    /** One norm's model, optimizer and fixed batch; {@link #step} runs and times one training step. */
    private final class StepRunner {
        final String norm;
        private final NDManager manager;
        private final ResNet net;
        private final MicroBatchTrainer trainer;
        private final ParameterStore ps;
        private final NDArray x;
        private final NDArray target;
        private final int batch;

        StepRunner(NDManager m, String norm, int batch, int size) {
            this.norm = norm;
            this.batch = batch;
            manager = m;
            net = ResNets.builder().setArch(arch).setNorm(NormSpec.parse(norm)).optNumClasses(1000).build();
            Shape input = new Shape(batch, 3, size, size);
            net.initialize(m, DataType.FLOAT32, input);
            Sgd sgd = Sgd.builder().setSchedule(LrSchedule.step(0.01f, 1_000_000, 0.1f)).build();
            trainer = MicroBatchTrainer.builder().setModel(net).setOptimizer(sgd).build();
            x = m.randomNormal(input);
            target = m.randomInteger(0, 1000, new Shape(batch), DataType.INT32).oneHot(1000)
                    .toType(DataType.FLOAT32, false);
            ps = new ParameterStore(m, false);
        }

        /** Seconds of one training step; its activations live in a sub-manager closed after it, as in training. */
        double step() {
            try (NDManager stepManager = manager.newSubManager()) {
                NDArray input = x.duplicate();
                input.attach(stepManager);
                NDArray labels = target.duplicate();
                labels.attach(stepManager);
                long t0 = System.nanoTime();
                trainer.step(k -> {
                    NDArray logits = net.forward(ps, new NDList(input), true).singletonOrThrow();
                    return logits.logSoftmax(1).mul(labels).sum().neg().div(batch);
                });
                return (System.nanoTime() - t0) / 1e9;
            }
        }
    }
}
