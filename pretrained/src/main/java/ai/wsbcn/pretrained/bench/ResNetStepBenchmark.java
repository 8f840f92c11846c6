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

import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Median seconds of one full training step (forward, backward, SGD update) of a ResNet classifier per norm, at the
 * micro-batch sizes and resolutions of the issue; the second half of {@code wsbcn bench norms}.
 */
public final class ResNetStepBenchmark {

    public static final List<String> NORMS = List.of("frozen-bn", "gn", "gn+ws", "bcn+ws");

    private final String arch;
    private final int repeats;

    public ResNetStepBenchmark(String arch, int repeats) {
        this.arch = arch;
        this.repeats = repeats;
    }

    /** Median milliseconds per training step of {@code norm} at {@code batch} images of {@code size} pixels. */
    public double time(NDManager manager, String norm, int batch, int size) {
        try (NDManager m = manager.newSubManager()) {
            ResNet net = ResNets.builder().setArch(arch).setNorm(NormSpec.parse(norm)).optNumClasses(1000).build();
            Shape input = new Shape(batch, 3, size, size);
            net.initialize(m, DataType.FLOAT32, input);
            Sgd sgd = Sgd.builder().setSchedule(LrSchedule.step(0.01f, 1_000_000, 0.1f)).build();
            MicroBatchTrainer trainer = MicroBatchTrainer.builder().setModel(net).setOptimizer(sgd).build();
            NDArray x = m.randomNormal(input);
            NDArray labels = m.randomInteger(0, 1000, new Shape(batch), DataType.INT32).toType(DataType.FLOAT32,
                    false);
            ParameterStore ps = new ParameterStore(m, false);
            double[] ms = new double[repeats];
            for (int i = -1; i < repeats; i++) {
                long t0 = System.nanoTime();
                trainer.step(k -> {
                    NDArray logits = net.forward(ps, new NDList(x), true).singletonOrThrow();
                    return logits.logSoftmax(1).mul(labels.oneHot(1000)).sum().neg().div(batch);
                });
                if (i >= 0) {
                    ms[i] = (System.nanoTime() - t0) / 1e6;
                }
            }
            Arrays.sort(ms);
            return ms[repeats / 2];
        }
    }

    /** Prints the table for the given (batch, size) settings. */
    public void run(NDManager m, int[][] settings, PrintStream out) {
        out.printf(Locale.ROOT, "%s training step (forward, backward, SGD), engine %s, median of %d (s); ratio to"
                + " frozen-bn in ()%n", arch, m.getEngine().getEngineName(), repeats);
        StringBuilder header = new StringBuilder(String.format(Locale.ROOT, "%-10s", "norm"));
        for (int[] s : settings) {
            header.append(String.format(Locale.ROOT, " %18s", s[0] + "x" + s[1] + "x" + s[1]));
        }
        out.println(header);
        double[] base = null;
        for (String norm : NORMS) {
            double[] row = new double[settings.length];
            StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%-10s", norm));
            for (int i = 0; i < settings.length; i++) {
                row[i] = time(m, norm, settings[i][0], settings[i][1]) / 1000.0;
                double ratio = base == null ? 1.0 : row[i] / base[i];
                line.append(String.format(Locale.ROOT, " %9.3f (%4.2fx)", row[i], ratio));
            }
            if (base == null) {
                base = row;
            }
            out.println(line);
        }
    }
}
