package ai.wsbcn.cli.segmentation;

import ai.wsbcn.cli.Flags;
import ai.djl.ndarray.NDManager;
import ai.wsbcn.cli.Command;
import ai.wsbcn.segmentation.bench.SegmentationBenchmark;
import ai.wsbcn.segmentation.eval.VocEvalBenchmark;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/** {@code wsbcn bench segmentation}: s/step per norm and micro-batch at 513x513, or the mIoU evaluator's speed. */
public final class BenchSegmentationCommand implements Command {

    @Override
    public String path() {
        return "bench segmentation";
    }

    @Override
    public String summary() {
        return "DeepLabV3 seconds per training step per norm at batch 1 and 2 (513x513), peak memory; --eval: mIoU"
                + " evaluator speed";
    }

    @Override
    public String example() {
        return "wsbcn bench segmentation --norms gn+ws,bcn+ws --batches 1 --steps 3";
    }

    @Override
    public String usage() {
        return "[--norms bn,gn,gn+ws,bn+ws,bcn+ws] [--batches 1,2] [--crop 513] [--steps 5] [--backbone resnet18]"
                + " | --eval [--images 1449] [--size 512]";
    }

    @Override
    public Options options() {
        Options o = new Options();
        o.addOption(Option.builder().longOpt("norms").hasArg().argName("LIST")
                .desc("norms to time (default bn,gn,gn+ws,bn+ws,bcn+ws)").build());
        o.addOption(Option.builder().longOpt("batches").hasArg().argName("LIST").desc("micro-batch sizes (1,2)").build());
        o.addOption(Option.builder().longOpt("crop").hasArg().argName("PX").desc("crop (513)").build());
        o.addOption(Option.builder().longOpt("steps").hasArg().argName("N")
                .desc("timed steps per case, median reported (5)").build());
        o.addOption(Option.builder().longOpt("warmup").hasArg().argName("N").desc("untimed steps first (1)").build());
        o.addOption(Option.builder().longOpt("backbone").hasArg().argName("NAME")
                .desc("resnet18 (default), resnet50, resnet101, ..., resnet10, tiny").build());
        o.addOption(Option.builder().longOpt("output-stride").hasArg().argName("16|8").desc("default 16").build());
        o.addOption(Option.builder().longOpt("work").hasArg().argName("DIR")
                .desc("scratch folder (default a temporary one)").build());
        o.addOption(Option.builder().longOpt("eval").desc("time `eval voc` on synthetic label PNGs instead").build());
        o.addOption(Option.builder().longOpt("images").hasArg().argName("N").desc("--eval: images (1449)").build());
        o.addOption(Option.builder().longOpt("size").hasArg().argName("PX").desc("--eval: image side (512)").build());
        o.addOption(Option.builder().longOpt("threads").hasArg().argName("N").desc("--eval: threads (all)").build());
        return o;
    }

    @Override
    public int run(CommandLine cl) throws Exception {
        Path work = cl.hasOption("work") ? Files.createDirectories(Path.of(cl.getOptionValue("work")))
                : Files.createTempDirectory("wsbcn-bench-seg");
        if (cl.hasOption("eval")) {
            new VocEvalBenchmark(Flags.intFlag(cl, "images", 1449, 1), Flags.intFlag(cl, "size", 512, 16), 3,
                    Flags.intFlag(cl, "threads", 0, 0), work).run(System.out);
            return 0;
        }
        List<String> norms = Flags.stringList(cl, "norms", "bn,gn,gn+ws,bn+ws,bcn+ws");
        List<Integer> batches = Arrays.stream(Flags.intList(cl, "batches", new int[] {1, 2})).boxed().toList();
        try (NDManager manager = NDManager.newBaseManager()) {
            new SegmentationBenchmark(norms, batches, Flags.intFlag(cl, "crop", 513, 16),
                    Flags.intFlag(cl, "steps", 5, 1), Flags.intFlag(cl, "warmup", 1, 0),
                    cl.getOptionValue("backbone", "resnet18"), Flags.intFlag(cl, "output-stride", 16, 8), work)
                    .run(manager, System.out);
        }
        return 0;
    }
}
