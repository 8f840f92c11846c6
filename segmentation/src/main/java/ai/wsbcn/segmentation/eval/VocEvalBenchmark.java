package ai.wsbcn.segmentation.eval;

import ai.wsbcn.segmentation.data.LabelMap;
import ai.wsbcn.segmentation.data.LabelPng;
import ai.wsbcn.segmentation.data.synthetic.ShapeClass;
import ai.wsbcn.segmentation.data.synthetic.SyntheticVoc;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * Times {@link VocEvaluator} on a VOC-val-sized problem: {@code images} ground-truth label PNGs of
 * {@code size x size} (synthetic shapes with a 255 band, written as palette PNGs) and predictions that differ from
 * them in shifted blocks, so decoding sees realistic PNGs.
 */
public final class VocEvalBenchmark {

    private final int images;
    private final int size;
    private final int repeat;
    private final int threads;
    private final Path dir;

    public VocEvalBenchmark(int images, int size, int repeat, int threads, Path dir) {
        this.images = images;
        this.size = size;
        this.repeat = repeat;
        this.threads = threads;
        this.dir = dir;
    }

    public void run(PrintStream out) throws IOException {
        Path gt = Files.createDirectories(dir.resolve("gt"));
        Path pred = Files.createDirectories(dir.resolve("pred"));
        SyntheticVoc gen = SyntheticVoc.builder().optImageSize(size, size).optBand(2).build();
        long t0 = System.nanoTime();
        IntStream.range(0, images).parallel().forEach(i -> {
            LabelMap g = gen.render(SyntheticVoc.Split.VAL, i).label();
            byte[] p = g.labels().clone();
            SplittableRandom rng = new SplittableRandom(i);
            for (int k = 0; k < 20; k++) {
                int x0 = rng.nextInt(size - 16);
                int y0 = rng.nextInt(size - 16);
                int v = rng.nextInt(ShapeClass.values().length + 1);
                for (int y = y0; y < y0 + 16; y++) {
                    for (int x = x0; x < x0 + 16; x++) {
                        p[y * size + x] = (byte) v;
                    }
                }
            }
            for (int k = 0; k < p.length; k++) {
                if ((p[k] & 0xff) == 255) {
                    p[k] = 0;
                }
            }
            try {
                LabelPng.write(gt.resolve(String.format(Locale.ROOT, "%06d.png", i)), g);
                LabelPng.write(pred.resolve(String.format(Locale.ROOT, "%06d.png", i)), new LabelMap(size, size, p));
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        out.printf(Locale.ROOT, "wrote %d ground-truth and %d predicted %dx%d label PNGs in %.1f s to %s%n", images,
                images, size, size, (System.nanoTime() - t0) / 1e9, dir);
        for (int r = 0; r < repeat; r++) {
            long s = System.nanoTime();
            SegmentationMetrics m = VocEvaluator.builder().setGtDir(gt).setPredDir(pred)
                    .optNumClasses(ShapeClass.values().length + 1).optParallelism(threads).build().evaluate();
            double sec = (System.nanoTime() - s) / 1e9;
            out.printf(Locale.ROOT, "run %d: %.3f s (%.2f ms per image pair, %d threads), mIoU %.4f%n", r + 1, sec,
                    1000 * sec / images, threads > 0 ? threads : Runtime.getRuntime().availableProcessors(), m.mIoU());
        }
    }
}
