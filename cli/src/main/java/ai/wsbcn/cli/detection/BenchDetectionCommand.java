package ai.wsbcn.cli.detection;

import ai.djl.ndarray.NDManager;
import ai.wsbcn.cli.Command;
import ai.wsbcn.cli.Flags;
import ai.wsbcn.detection.bench.DetectionBenchmark;
import ai.wsbcn.util.InvalidInputException;

import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** {@code wsbcn bench detection}: median training step, inference speed and peak RSS per norm and size. */
public final class BenchDetectionCommand implements Command {

    @Override
    public String path() {
        return "bench detection";
    }

    @Override
    public String summary() {
        return "Mask R-CNN training-step / inference speed and peak memory per norm, size and images per batch";
    }

    @Override
    public String example() {
        return "wsbcn bench detection --norms gn+ws,bcn+ws --sizes 512 --batches 1";
    }

    @Override
    public Map<String, String> oldSpellings() {
        return Map.of("images", "batches");
    }

    @Override
    public String usage() {
        return "[--norms frozen-bn,gn,gn+ws,bcn+ws] [--sizes 512,800] [--batches 1,2] [--steps 3] [--backbone resnet50]";
    }

    @Override
    public Options options() {
        Options o = new Options();
        o.addOption(Option.builder().longOpt("norms").hasArg().argName("LIST")
                .desc("norms (default frozen-bn,gn,gn+ws,bcn+ws)").build());
        o.addOption(Option.builder().longOpt("sizes").hasArg().argName("LIST")
                .desc("short sides (default 512,800; 800 uses max 1333)").build());
        o.addOption(Option.builder().longOpt("batches").hasArg().argName("LIST").desc("images per batch (default 1,2)")
                .build());
        o.addOption(Option.builder().longOpt("steps").hasArg().argName("N").desc("timed steps (default 3)").build());
        o.addOption(Option.builder().longOpt("warmup").hasArg().argName("N")
                .desc("untimed steps (default 2: on MXNet the second step is still warming up, 9.9 s against 5.3 s"
                        + " from the third on)").build());
        o.addOption(Option.builder().longOpt("backbone").hasArg().argName("ARCH").desc("default resnet50").build());
        return o;
    }

    private static int[] ints(CommandLine cl, String k, String d) {
        String[] p = cl.getOptionValue(k, d).split(",");
        int[] out = new int[p.length];
        for (int i = 0; i < p.length; i++) {
            try {
                out[i] = Integer.parseInt(p[i].trim());
            } catch (NumberFormatException e) {
                throw new InvalidInputException("--" + k + ": expected comma-separated integers, got '"
                        + cl.getOptionValue(k) + "'");
            }
            if (out[i] < (k.equals("warmup") ? 0 : 1)) {
                throw new InvalidInputException("--" + k + ": values must be positive, got '" + cl.getOptionValue(k)
                        + "'");
            }
        }
        return out;
    }

    @Override
    public int run(CommandLine cl) throws Exception {
        String[] norms = cl.getOptionValue("norms", "frozen-bn,gn,gn+ws,bcn+ws").split(",");
        int[] sizes = ints(cl, "sizes", "512,800");
        int[] images = ints(cl, "batches", "1,2");
        int steps = ints(cl, "steps", "3")[0];
        int warmup = ints(cl, "warmup", "2")[0];
        String arch = cl.getOptionValue("backbone", "resnet50");
        List<DetectionBenchmark.Row> rows = new ArrayList<>();
        PrintStream console = Flags.console(cl);
        try (NDManager m = DetectionFlags.manager(cl, false)) {
            for (int size : sizes) {
                for (int n : images) {
                    for (String norm : norms) {
                        DetectionBenchmark.Row r = DetectionBenchmark.run(m, arch, norm.trim(), size, n, steps,
                                warmup, console);
                        rows.add(r);
                        console.printf("%s %d x%d: %.2f s/step, %.2f img/s inference%n", r.norm(), r.size(),
                                r.images(), r.medianStepSeconds(), r.inferenceImagesPerSecond());
                    }
                }
            }
            System.out.print(DetectionBenchmark.markdown(rows, m.getEngine().getEngineName(), arch));
        }
        return 0;
    }
}
