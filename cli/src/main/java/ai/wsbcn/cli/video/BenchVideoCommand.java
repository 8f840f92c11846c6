package ai.wsbcn.cli.video;

import ai.wsbcn.cli.Flags;
import ai.wsbcn.cli.Command;
import ai.wsbcn.util.EngineKernels;
import ai.wsbcn.util.InvalidInputException;
import ai.wsbcn.util.NativeAllocator;
import ai.wsbcn.video.bench.VideoBenchmark;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code wsbcn bench video}: seconds per TSM training step for 1 and 2 clips of 8x224x224 per norm, and peak memory.
 * Every configuration runs in a fresh JVM so its peak resident memory is its own.
 */
public final class BenchVideoCommand implements Command {

    @Override
    public String path() {
        return "bench video";
    }

    @Override
    public String summary() {
        return "seconds per TSM training step (1 and 2 clips of 8x224x224) per norm, with peak memory";
    }

    @Override
    public String example() {
        return "wsbcn bench video --norms bn,gn+ws,bcn+ws --clips 1,2 --backbone resnet18";
    }

    @Override
    public String usage() {
        return "[--norms bn] [--clips 1,2] [--backbone resnet50] [--size 224] [--steps 3]";
    }

    @Override
    public Options options() {
        Options o = new Options();
        o.addOption(Option.builder().longOpt("norms").hasArg().argName("LIST")
                .desc("comma-separated norm specs (default bn)").build());
        o.addOption(Option.builder().longOpt("clips").hasArg().argName("LIST").desc("clips per step (default 1,2)")
                .build());
        o.addOption(Option.builder().longOpt("backbone").hasArg().argName("NAME").desc("default resnet50").build());
        o.addOption(Option.builder().longOpt("size").hasArg().argName("S").desc("frame size (default 224)").build());
        o.addOption(Option.builder().longOpt("segments").hasArg().argName("T").desc("frames per clip (default 8)")
                .build());
        o.addOption(Option.builder().longOpt("steps").hasArg().argName("N").desc("timed steps (default 3)").build());
        o.addOption(Option.builder().longOpt("warmup").hasArg().argName("N").desc("untimed steps (default 1)").build());
        o.addOption(Option.builder().longOpt("no-shift").desc("measure TSN (no temporal shift) instead").build());
        o.addOption(Option.builder().longOpt("in-process").desc("measure in this JVM (peak memory is cumulative)")
                .build());
        return o;
    }

    @Override
    public int run(CommandLine cl) throws Exception {
        String backbone = cl.getOptionValue("backbone", "resnet50");
        int size = Flags.intFlag(cl, "size", 224, 8);
        int segments = Flags.intFlag(cl, "segments", 8, 1);
        int steps = Flags.intFlag(cl, "steps", 3, 1);
        int warmup = Flags.intFlag(cl, "warmup", 1, 0);
        List<VideoBenchmark.Row> rows = new ArrayList<>();
        for (String norm : cl.getOptionValue("norms", "bn").split(",")) {
            for (String c : cl.getOptionValue("clips", "1,2").split(",")) {
                int clips;
                try {
                    clips = Integer.parseInt(c.strip());
                } catch (NumberFormatException e) {
                    throw new InvalidInputException("--clips: expected integers, got '" + c + "'");
                }
                Flags.console(cl).printf("measuring %s %s, %d clip(s) of %dx%dx%d ...%n", backbone, norm.strip(), clips,
                        segments, size, size);
                boolean shift = !cl.hasOption("no-shift");
                VideoBenchmark.Row r = cl.hasOption("in-process")
                        ? VideoBenchmark.measure(backbone, norm.strip(), clips, segments, size, warmup, steps, shift)
                        : fork(backbone, norm.strip(), clips, segments, size, warmup, steps, shift);
                if (!Double.isNaN(r.secondsPerStep())) {
                    Flags.console(cl).printf("  %.2f s/step, peak RSS %.0f MiB%n", r.secondsPerStep(), r.peakRssMb());
                }
                rows.add(r);
            }
        }
        // the forked measurements inherit this process's environment: its engine settings and allocator
        System.out.printf(Locale.ROOT, "TSM training steps, engine %s, %s, %d cores%n",
                EngineKernels.label(System.getProperty("ai.djl.default_engine", "MXNet")), NativeAllocator.describe(),
                Runtime.getRuntime().availableProcessors());
        VideoBenchmark.print(rows, System.out);
        return 0;
    }

    private static VideoBenchmark.Row fork(String backbone, String norm, int clips, int segments, int size, int warmup,
            int steps, boolean shift) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(List.of(java, "-Xmx4g", "-cp", System.getProperty("java.class.path")));
        for (String p : new String[] {"ai.djl.default_engine", "ai.djl.offline"}) {
            if (System.getProperty(p) != null) {
                cmd.add("-D" + p + "=" + System.getProperty(p));
            }
        }
        cmd.addAll(List.of(VideoBenchmark.class.getName(), backbone, norm, Integer.toString(clips),
                Integer.toString(segments), Integer.toString(size), Integer.toString(warmup), Integer.toString(steps),
                Boolean.toString(shift)));
        Path errors = Files.createTempFile("wsbcn-bench-video", ".log");
        Process p = new ProcessBuilder(cmd).redirectError(errors.toFile()).start();
        VideoBenchmark.Row row = null;
        StringBuilder other = new StringBuilder();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                if (line.startsWith("ROW\t")) {
                    row = VideoBenchmark.Row.parse(line.substring(4));
                } else {
                    other.append(line).append('\n');
                }
            }
        }
        int status = p.waitFor();
        List<String> log = Files.readAllLines(errors);
        Files.deleteIfExists(errors);
        if (status != 0 || row == null) {
            // the child's last stderr lines carry the reason (e.g. an unknown norm); a kill by the kernel's
            // out-of-memory killer shows as 137 with nothing on stderr. The other rows are still worth having.
            String tail = String.join("\n", log.subList(Math.max(0, log.size() - 3), log.size()));
            System.err.println("  failed: exit status " + status + (status == 137 ? " (killed: out of memory?)" : "")
                    + (tail.isBlank() ? "" : "\n" + tail) + other);
            String engine = System.getProperty("ai.djl.default_engine", "MXNet");
            return new VideoBenchmark.Row(backbone + (shift ? "" : " (TSN)"), norm, clips, segments, size,
                    engine + ", exit " + status, steps, Double.NaN, Double.NaN);
        }
        return row;
    }
}
