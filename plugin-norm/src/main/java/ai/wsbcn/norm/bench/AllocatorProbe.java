package ai.wsbcn.norm.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.wsbcn.util.EngineKernels;
import ai.wsbcn.util.NativeAllocator;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

/**
 * Shows what the native allocator does to a DJL training step. DJL keeps every array until its manager closes, so a
 * step holds small arrays (per-channel scales, estimates) in a longer-lived manager while its large activation
 * buffers come and go. glibc's malloc carves such a small array out of the large buffer freed last, and the next
 * large buffer then comes from fresh pages, each of which is page-faulted in (and zeroed by the kernel). The probe
 * times one full-size multiply in a step that does, and one that does not, leave a small array behind, and counts
 * the process's minor page faults during it: about one per 4 KiB page of the output when the allocator hands out
 * fresh memory, none when it reuses. {@code wsbcn bench allocator} prints it.
 */
public final class AllocatorProbe {

    /** A ResNet-50 stage-1 activation at batch 1 (3.2 MB, 784 pages of 4 KiB). */
    public static final Shape SHAPE = new Shape(1, 256, 56, 56);
    private static final Path STAT = Path.of("/proc/self/stat");
    private static final int WARMUP = 5;

    private final int iterations;

    public AllocatorProbe(int iterations) {
        if (iterations < 1) {
            throw new IllegalArgumentException("iterations must be >= 1, got " + iterations);
        }
        this.iterations = iterations;
    }

    /** Median milliseconds and mean minor page faults (-1 where /proc is not readable) of one multiply. */
    public record Result(double millis, double faults) {}

    /**
     * Times {@code x * scale} (x of {@link #SHAPE}, scale per channel) in {@code iterations} steps, each in its own
     * sub-manager; with {@code retainSmallArray} each step first leaves one (C) array in the enclosing manager, as
     * a training step does with the results of ops on parameters.
     */
    public Result measure(NDManager manager, boolean retainSmallArray) {
        try (NDManager scope = manager.newSubManager()) {
            NDArray data = scope.randomNormal(SHAPE);
            NDArray vector = scope.randomNormal(new Shape(SHAPE.get(1)));
            NDArray scale = vector.reshape(1, SHAPE.get(1), 1, 1);
            // PyTorch returns when the product is computed; MXNet queues it, so there the clock waits for a value
            boolean asynchronous = !"PyTorch".equals(manager.getEngine().getEngineName());
            double[] ms = new double[iterations];
            long faults = 0;
            boolean counted = true;
            for (int i = -WARMUP; i < iterations; i++) {
                try (NDManager step = scope.newSubManager()) {
                    NDArray x = data.duplicate();
                    x.attach(step);
                    x.reshape(-1).getFloat(0); // the copy is done before the clock starts
                    if (retainSmallArray) {
                        vector.add(vector); // stays in scope until the probe ends
                    }
                    long f0 = minorFaults();
                    long t0 = System.nanoTime();
                    NDArray y = x.mul(scale);
                    if (asynchronous) {
                        y.reshape(-1).getFloat(0);
                    }
                    long t1 = System.nanoTime();
                    long f1 = minorFaults();
                    if (i >= 0) {
                        ms[i] = (t1 - t0) / 1e6;
                        counted &= f0 >= 0 && f1 >= 0;
                        faults += f1 - f0;
                    }
                }
            }
            Arrays.sort(ms);
            return new Result(ms[iterations / 2], counted ? faults / (double) iterations : -1);
        }
    }

    /** Both measurements, printed. */
    public void run(NDManager manager, PrintStream out) {
        Result clean = measure(manager, false);
        Result retaining = measure(manager, true);
        out.printf(Locale.ROOT, "allocator probe: engine %s, %s; one %s multiply (%d pages of 4 KiB), median of %d"
                + "%n", EngineKernels.label(manager.getEngine().getEngineName()), NativeAllocator.describe(),
                SHAPE.toString().replace(" ", ""), SHAPE.size() * 4 / 4096, iterations);
        out.printf(Locale.ROOT, "  step that keeps no small array:  %8.3f ms, %6.0f page faults per multiply%n",
                clean.millis(), clean.faults());
        out.printf(Locale.ROOT, "  step that keeps one small array: %8.3f ms, %6.0f page faults per multiply%n",
                retaining.millis(), retaining.faults());
    }

    /** Minor page faults of this process so far, or -1 where /proc is not available. */
    static long minorFaults() {
        try {
            return minorFaults(Files.readString(STAT));
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /**
     * Field 10 ({@code minflt}) of a {@code /proc/PID/stat} line; the command name (field 2) may hold spaces and
     * parentheses, so fields are counted from its closing parenthesis.
     */
    static long minorFaults(String statLine) {
        String[] fields = statLine.substring(statLine.lastIndexOf(')') + 2).trim().split(" +");
        return Long.parseLong(fields[7]);
    }
}
