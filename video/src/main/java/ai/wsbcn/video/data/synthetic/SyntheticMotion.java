package ai.wsbcn.video.data.synthetic;

import ai.wsbcn.pretrained.data.OpenCv;
import ai.wsbcn.util.AtomicFiles;
import ai.wsbcn.video.data.FrameFolders;
import ai.wsbcn.video.data.SomethingSomething;
import ai.wsbcn.util.Seeds;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.MatOfInt;
import org.opencv.core.MatOfPoint;
import org.opencv.core.Point;
import org.opencv.core.Scalar;
import org.opencv.imgcodecs.Imgcodecs;
import org.opencv.imgproc.Imgproc;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A synthetic data set in Something-Something V1's layout (see {@link SomethingSomething}): short clips of one shape
 * (disc, square, triangle or diamond, random bright colour) on a noisy darker background of random colour, moving left to right,
 * right to left, up, down, approaching (growing), receding (shrinking) or standing still ({@link Motion}, label
 * order). Start positions and sizes are random and every class's frames cover the same range of positions and sizes,
 * so a single frame cannot tell the class: only the order of frames can, which is what the temporal shift adds to a
 * frame-wise network. Each clip is a function of (seed, split, index) only.
 *
 * <pre>{@code
 * SyntheticMotion.builder().optFrameSize(64, 48).optFrames(16).optVideos(700, 140).optSeed(1).build().write(root);
 * VideoList train = SomethingSomething.read(root, SomethingSomething.Split.TRAIN);
 * }</pre>
 */
public final class SyntheticMotion {

    private static final int JPEG_QUALITY = 95;

    private final int width;
    private final int height;
    private final int frames;
    private final int trainVideos;
    private final int valVideos;
    private final long seed;

    private SyntheticMotion(Builder b) {
        this.width = b.width;
        this.height = b.height;
        this.frames = b.frames;
        this.trainVideos = b.trainVideos;
        this.valVideos = b.valVideos;
        this.seed = b.seed;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The class names in label order: sorted, as the V1 reader (and TSM) numbers a labels file's names. */
    public static List<String> classes() {
        List<String> out = new ArrayList<>();
        for (Motion m : Motion.values()) {
            out.add(m.label());
        }
        out.sort(null);
        return out;
    }

    /** The motion of video {@code index} of a split: classes take turns, so every split is balanced. */
    public Motion motion(SomethingSomething.Split split, int index) {
        return Motion.values()[index % Motion.values().length];
    }

    /** Video ids: train {@code 1..trainVideos}, validation after them, as numeric SS ids are. */
    public String videoId(SomethingSomething.Split split, int index) {
        return Integer.toString(split == SomethingSomething.Split.TRAIN ? index + 1 : trainVideos + index + 1);
    }

    public int videoCount(SomethingSomething.Split split) {
        return split == SomethingSomething.Split.TRAIN ? trainVideos : valVideos;
    }

    /** Writes the labels file, both split files and every frame under {@code root}; returns {@code root}. */
    public Path write(Path root) throws IOException {
        OpenCv.load();
        Files.createDirectories(root);
        AtomicFiles.writeString(root.resolve(SomethingSomething.LABELS_FILE), String.join("\n", classes()) + "\n");
        Path frameRoot = root.resolve(SomethingSomething.FRAMES_DIR);
        for (SomethingSomething.Split split : SomethingSomething.Split.values()) {
            StringBuilder lines = new StringBuilder();
            for (int i = 0; i < videoCount(split); i++) {
                String id = videoId(split, i);
                writeFrames(frameRoot.resolve(id), render(split, i));
                lines.append(id).append(';').append(motion(split, i).label()).append('\n');
            }
            AtomicFiles.writeString(root.resolve(split.fileName()), lines.toString());
        }
        return root;
    }

    private static void writeFrames(Path dir, List<Mat> clip) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        MatOfInt params = new MatOfInt(Imgcodecs.IMWRITE_JPEG_QUALITY, JPEG_QUALITY);
        for (int t = 0; t < clip.size(); t++) {
            Path file = FrameFolders.frame(dir, FrameFolders.SS_TEMPLATE, t + 1);
            if (!Imgcodecs.imwrite(file.toString(), clip.get(t), params)) {
                throw new UncheckedIOException(new IOException(file + ": OpenCV could not write the frame"));
            }
            clip.get(t).release();
        }
        params.release();
    }

    /**
     * The frames (BGR, 8-bit) of video {@code index}. The shape's centre and radius over time are linear between a
     * start and an end state; for the moving classes the travelled distance is 50-80% of the frame side (growth
     * factor 1.6-2.2 for approaching/receding) and the path is placed at a random position where it fits.
     */
    public List<Mat> render(SomethingSomething.Split split, int index) {
        OpenCv.load();
        SplittableRandom rng = new SplittableRandom(
                Seeds.splitMix(Seeds.splitMix(seed) + 31L * split.ordinal() + 1) ^ Seeds.splitMix(index + 1L));
        Motion motion = motion(split, index);
        int side = Math.min(width, height);
        double rMin = 0.08 * side;
        double rMax = 0.22 * side;
        double r0;
        double r1;
        double x0;
        double y0;
        double x1;
        double y1;
        if (motion == Motion.APPROACHING || motion == Motion.RECEDING) {
            double growth = 1.6 + 0.6 * rng.nextDouble();
            double small = rMin + rng.nextDouble() * (rMax / growth - rMin);
            r0 = motion == Motion.APPROACHING ? small : small * growth;
            r1 = motion == Motion.APPROACHING ? small * growth : small;
            double big = small * growth;
            x0 = big + rng.nextDouble() * (width - 2 * big);
            y0 = big + rng.nextDouble() * (height - 2 * big);
            x1 = x0;
            y1 = y0;
        } else {
            r0 = rMin + rng.nextDouble() * (rMax - rMin);
            r1 = r0;
            double dist = 0.5 + 0.3 * rng.nextDouble();
            double dx = 0;
            double dy = 0;
            switch (motion) {
                case LEFT_TO_RIGHT: dx = dist * width; break;
                case RIGHT_TO_LEFT: dx = -dist * width; break;
                case UP: dy = -dist * height; break;
                case DOWN: dy = dist * height; break;
                default: break; // still
            }
            // place the whole path inside the frame: the start is uniform over where it fits
            double loX = r0 + Math.max(0, -dx);
            double hiX = width - r0 - Math.max(0, dx);
            double loY = r0 + Math.max(0, -dy);
            double hiY = height - r0 - Math.max(0, dy);
            x0 = loX + rng.nextDouble() * Math.max(0, hiX - loX);
            y0 = loY + rng.nextDouble() * Math.max(0, hiY - loY);
            x1 = x0 + dx;
            y1 = y0 + dy;
        }
        int kind = rng.nextInt(4);
        double angle = rng.nextDouble() * Math.PI * 2;
        // a dark background and a bright shape, each of random hue: the shape is always the brighter thing, so where
        // it is can be seen by simple filters whatever the colours (contrast polarity carries no class information)
        double[] bg = randomColor(rng, 10, 110);
        double[] fg = randomColor(rng, 150, 255);
        long noiseSeed = rng.nextLong();
        List<Mat> clip = new ArrayList<>(frames);
        for (int t = 0; t < frames; t++) {
            double a = frames == 1 ? 0 : (double) t / (frames - 1);
            Mat img = new Mat(height, width, CvType.CV_8UC3);
            paintBackground(img, bg, new SplittableRandom(noiseSeed + t));
            drawShape(img, kind, x0 + a * (x1 - x0), y0 + a * (y1 - y0), r0 + a * (r1 - r0), angle,
                    new Scalar(fg[0], fg[1], fg[2]));
            clip.add(img);
        }
        return clip;
    }

    private void paintBackground(Mat img, double[] bg, SplittableRandom rng) {
        byte[] px = new byte[width * height * 3];
        for (int p = 0; p < width * height; p++) {
            int n = rng.nextInt(25) - 12; // fresh noise every frame: pixel differences alone are not motion
            for (int c = 0; c < 3; c++) {
                px[p * 3 + c] = (byte) Math.max(0, Math.min(255, (int) bg[c] + n));
            }
        }
        img.put(0, 0, px);
    }

    private static void drawShape(Mat img, int kind, double cx, double cy, double r, double angle, Scalar color) {
        Point c = new Point(cx, cy);
        if (kind == 0) {
            Imgproc.circle(img, c, (int) Math.round(r), color, -1, Imgproc.LINE_AA);
            return;
        }
        int corners = kind == 2 ? 3 : 4;
        double start = kind == 3 ? 0 : angle; // the diamond is a square standing on a corner, always
        Point[] pts = new Point[corners];
        for (int k = 0; k < corners; k++) {
            double th = start + 2 * Math.PI * k / corners;
            pts[k] = new Point(cx + r * Math.cos(th), cy + r * Math.sin(th));
        }
        MatOfPoint poly = new MatOfPoint(pts);
        Imgproc.fillPoly(img, List.of(poly), color, Imgproc.LINE_AA);
        poly.release();
    }

    private static double[] randomColor(SplittableRandom rng, int lo, int hi) {
        return new double[] {lo + rng.nextInt(hi - lo + 1), lo + rng.nextInt(hi - lo + 1), lo + rng.nextInt(hi - lo + 1)};
    }


    /** Builder: 64x48 frames, 16 frames per clip, 700 training and 140 validation clips, seed 0 by default. */
    public static final class Builder {
        private int width = 64;
        private int height = 48;
        private int frames = 16;
        private int trainVideos = 700;
        private int valVideos = 140;
        private long seed;

        private Builder() {}

        public Builder optFrameSize(int width, int height) {
            if (width < 16 || height < 16) {
                throw new IllegalArgumentException("frames must be at least 16x16, got " + width + "x" + height);
            }
            this.width = width;
            this.height = height;
            return this;
        }

        public Builder optFrames(int frames) {
            if (frames < 2) {
                throw new IllegalArgumentException("clips need at least 2 frames, got " + frames);
            }
            this.frames = frames;
            return this;
        }

        public Builder optVideos(int train, int validation) {
            if (train < 0 || validation < 0) {
                throw new IllegalArgumentException("video counts must be >= 0");
            }
            this.trainVideos = train;
            this.valVideos = validation;
            return this;
        }

        public Builder optSeed(long seed) {
            this.seed = seed;
            return this;
        }

        public SyntheticMotion build() {
            return new SyntheticMotion(this);
        }
    }
}
