package ai.wsbcn.video.transforms;

import ai.wsbcn.pretrained.data.Resizing;
import org.opencv.core.Mat;
import org.opencv.core.Rect;

import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * TSN/TSM's multi-scale crop ({@code GroupMultiScaleCrop} with fixed crops and max distortion 1): crop sides are
 * {@code int(min(w, h) * s)} for {@code s} in the scales (snapped to the output size when within 2 pixels); width and
 * height are drawn as a pair of scale indices at most {@code maxDistort} apart; the crop's corner is one of 13 fixed
 * positions on a 4x4 grid of the free space (4 corners, centre, 4 edge midpoints, 4 inner points); the crop is then
 * resized to {@code size x size}. The same window is used for all frames of the clip.
 */
public final class MultiScaleCrop implements ClipTransform {

    /** TSM's scales for Something-Something. */
    public static final double[] DEFAULT_SCALES = {1, .875, .75, .66};

    private final int size;
    private final double[] scales;
    private final int maxDistort;

    public MultiScaleCrop(int size) {
        this(size, DEFAULT_SCALES, 1);
    }

    public MultiScaleCrop(int size, double[] scales, int maxDistort) {
        if (size <= 0 || scales.length == 0 || maxDistort < 0) {
            throw new IllegalArgumentException("need size > 0, scales and maxDistort >= 0");
        }
        this.size = size;
        this.scales = scales.clone();
        this.maxDistort = maxDistort;
    }

    /** Every (width, height) crop size this transform may pick for an image of {@code width x height}. */
    public List<int[]> cropSizes(int width, int height) {
        int base = Math.min(width, height);
        int[] sides = new int[scales.length];
        for (int i = 0; i < scales.length; i++) {
            int s = (int) (base * scales[i]);
            sides[i] = Math.abs(s - size) < 3 ? size : s;
        }
        List<int[]> pairs = new ArrayList<>();
        for (int i = 0; i < sides.length; i++) {
            for (int j = 0; j < sides.length; j++) {
                if (Math.abs(i - j) <= maxDistort) {
                    // i indexes the height, j the width, as in the reference; clamp so a snapped side still fits
                    pairs.add(new int[] {Math.min(sides[j], width), Math.min(sides[i], height)});
                }
            }
        }
        return pairs;
    }

    /** The 13 fixed top-left corners for a {@code cropW x cropH} window in a {@code width x height} image. */
    public static List<int[]> fixedOffsets(int width, int height, int cropW, int cropH) {
        int ws = (width - cropW) / 4;
        int hs = (height - cropH) / 4;
        int[][] grid = {
            {0, 0}, {4, 0}, {0, 4}, {4, 4}, {2, 2},
            {0, 2}, {4, 2}, {2, 4}, {2, 0},
            {1, 1}, {3, 1}, {1, 3}, {3, 3},
        };
        List<int[]> out = new ArrayList<>();
        for (int[] g : grid) {
            out.add(new int[] {g[0] * ws, g[1] * hs});
        }
        return out;
    }

    /** The crop window for a clip whose frames are {@code width x height}. */
    public Rect window(int width, int height, RandomGenerator random) {
        List<int[]> sizes = cropSizes(width, height);
        int[] wh = sizes.get(random.nextInt(sizes.size()));
        List<int[]> offsets = fixedOffsets(width, height, wh[0], wh[1]);
        int[] xy = offsets.get(random.nextInt(offsets.size()));
        return new Rect(xy[0], xy[1], wh[0], wh[1]);
    }

    @Override
    public List<Mat> apply(List<Mat> frames, RandomGenerator random) {
        Mat first = frames.get(0);
        Rect w = window(first.cols(), first.rows(), random);
        List<Mat> out = new ArrayList<>(frames.size());
        for (Mat f : frames) {
            // a frame of another size (a resolution change inside the video) is first resized to the first frame's,
            // so the window covers the same part of every frame
            Mat same = f.cols() == first.cols() && f.rows() == first.rows() ? f
                    : Resizing.resize(f, first.cols(), first.rows());
            Mat region = same.submat(w);
            out.add(Resizing.resize(region, size, size));
            region.release();
            if (same != f) {
                same.release();
            }
        }
        return out;
    }

    @Override
    public int outputSize() {
        return size;
    }
}
