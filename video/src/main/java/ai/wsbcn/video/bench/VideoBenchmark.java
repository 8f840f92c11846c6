package ai.wsbcn.video.bench;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.wsbcn.video.model.TsmModelSpec;
import ai.wsbcn.video.model.TsmNetwork;
import ai.wsbcn.norm.train.TransientArrays;
import ai.wsbcn.norm.train.HeldWeights;
import ai.wsbcn.video.train.ClipSgd;
import ai.wsbcn.video.train.MicroBatchStep;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Seconds per TSM training step (forward, backward, clipped SGD update) on random clips of {@code T x S x S}, for a
 * given backbone, norm and number of clips, with the process's peak resident memory. Each configuration is meant to
 * run in its own JVM ({@link #main}) so the peak belongs to it alone; {@code wsbcn bench video} forks one per row.
 */
public final class VideoBenchmark {

    /** One measured configuration. */
    public record Row(String backbone, String norm, int clips, int segments, int size, String engine, int steps,
            double secondsPerStep, double peakRssMb) {

        public String toLine() {
            return String.format(Locale.ROOT, "%s\t%s\t%d\t%d\t%d\t%s\t%d\t%.3f\t%.0f", backbone, norm, clips, segments,
                    size, engine, steps, secondsPerStep, peakRssMb);
        }

        public static Row parse(String line) {
            String[] f = line.split("\t");
            return new Row(f[0], f[1], Integer.parseInt(f[2]), Integer.parseInt(f[3]), Integer.parseInt(f[4]), f[5],
                    Integer.parseInt(f[6]), Double.parseDouble(f[7]), Double.parseDouble(f[8]));
        }
    }

    private VideoBenchmark() {}

    /** Measures one configuration in this process: {@code warmup} untimed steps, then {@code steps} timed. */
    public static Row measure(String backbone, String norm, int clips, int segments, int size, int warmup, int steps) {
        return measure(backbone, norm, clips, segments, size, warmup, steps, true);
    }

    /** As above; {@code shift} false measures TSN (the same network without shifts), to see the shift's cost. */
    public static Row measure(String backbone, String norm, int clips, int segments, int size, int warmup, int steps,
            boolean shift) {
        TsmModelSpec spec = new TsmModelSpec(backbone, norm, segments, 8, shift, 1, 0.5f, size, size,
                syntheticClasses(174));
        try (NDManager m = Engine.getInstance().newBaseManager()) {
            TsmNetwork net = spec.buildInitialized(m);
            ClipSgd sgd = new ClipSgd(net, m, 0.9f, 5e-4f, 20f);
            // as VideoTrainer does: WS once per update where it runs on the host (MXNet)
            HeldWeights held = HeldWeights.of(net);
            boolean holdWs = held.standardizesOnHost();
            Set<Parameter> heldWeights = holdWs ? Set.copyOf(held.weights()) : Set.of();
            Shape inputShape = new Shape(clips, segments, 3, size, size);
            float[] x = new float[Math.toIntExact(inputShape.size())];
            java.util.SplittableRandom r = new java.util.SplittableRandom(0);
            for (int i = 0; i < x.length; i++) {
                x[i] = (float) (r.nextDouble() * 2 - 1);
            }
            TransientArrays transients = new TransientArrays(m);
            float[] oneHot = new float[clips * 174];
            for (int i = 0; i < clips; i++) {
                oneHot[i * 174 + (i * 37) % 174] = 1f;
            }
            long t0 = 0;
            for (int s = 0; s < warmup + steps; s++) {
                if (s == warmup) {
                    t0 = System.nanoTime();
                }
                if (holdWs) {
                    held.hold();
                }
                MicroBatchStep.run(net, m, x, inputShape, oneHot, 174, 1f);
                sgd.accumulate(heldWeights);
                if (holdWs) {
                    held.release(true);
                    sgd.addGradients(heldWeights);
                }
                sgd.step(0.001f);
                transients.sweep();
                transients.mark();
            }
            double sps = (System.nanoTime() - t0) / 1e9 / steps;
            return new Row(shift ? backbone : backbone + " (TSN)", norm, clips, segments, size,
                    Engine.getInstance().getEngineName(), steps, sps, peakRssMb());
        }
    }

    /** The process's peak resident set ({@code VmHWM}) in MiB, or NaN where /proc is unavailable. */
    public static double peakRssMb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
                }
            }
        } catch (IOException | NumberFormatException e) {
            // not Linux: no figure
        }
        return Double.NaN;
    }

    private static List<String> syntheticClasses(int n) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add("class " + i);
        }
        return out;
    }

    /** Prints the table of {@code rows}. */
    public static void print(List<Row> rows, PrintStream out) {
        out.println("| backbone | norm | clips x frames | input | engine | s/step | peak RSS (MiB) |");
        out.println("|---|---|---|---|---|---|---|");
        for (Row r : rows) {
            String sps = Double.isNaN(r.secondsPerStep()) ? "failed" : String.format(Locale.ROOT, "%.2f",
                    r.secondsPerStep());
            String rss = Double.isNaN(r.peakRssMb()) ? "-" : String.format(Locale.ROOT, "%.0f", r.peakRssMb());
            out.printf(Locale.ROOT, "| %s | %s | %d x %d | %dx%d | %s | %s | %s |%n", r.backbone(), r.norm(),
                    r.clips(), r.segments(), r.size(), r.size(), r.engine(), sps, rss);
        }
    }

    /** Child-process entry: {@code backbone norm clips segments size warmup steps [shift]}; prints one row line. */
    public static void main(String[] args) {
        Row r = measure(args[0], args[1], Integer.parseInt(args[2]), Integer.parseInt(args[3]),
                Integer.parseInt(args[4]), Integer.parseInt(args[5]), Integer.parseInt(args[6]),
                args.length < 8 || Boolean.parseBoolean(args[7]));
        System.out.println("ROW\t" + r.toLine());
    }
}
