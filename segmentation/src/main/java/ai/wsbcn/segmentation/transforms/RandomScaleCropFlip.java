package ai.wsbcn.segmentation.transforms;

import ai.wsbcn.segmentation.data.LabelMap;
import ai.wsbcn.pretrained.data.RgbImage;
import ai.wsbcn.segmentation.data.SegmentationSample;

import java.util.Random;

/**
 * DeepLab's training augmentation: scale by a factor drawn uniformly from {@code [minScale, maxScale]} (image
 * bilinear, labels nearest), pad at the bottom and right up to the crop size (image with the mean colour, which
 * normalises to zero, labels with 255 so padding is ignored by the loss), take a random {@code crop x crop} window and
 * flip it horizontally with probability 1/2.
 */
public final class RandomScaleCropFlip {

    private final double minScale;
    private final double maxScale;
    private final int crop;
    private final int[] padRgb;
    private final boolean flip;

    private RandomScaleCropFlip(Builder b) {
        this.minScale = b.minScale;
        this.maxScale = b.maxScale;
        this.crop = b.crop;
        this.padRgb = b.padRgb.clone();
        this.flip = b.flip;
    }

    public static Builder builder() {
        return new Builder();
    }

    public int crop() {
        return crop;
    }

    public SegmentationSample apply(SegmentationSample s, Random rng) {
        double scale = minScale + rng.nextDouble() * (maxScale - minScale);
        int w = Math.max(1, (int) Math.round(s.image().width() * scale));
        int h = Math.max(1, (int) Math.round(s.image().height() * scale));
        RgbImage img = Resize.image(s.image(), w, h);
        LabelMap lab = Resize.label(s.label(), w, h);
        int x0 = w > crop ? rng.nextInt(w - crop + 1) : 0;
        int y0 = h > crop ? rng.nextInt(h - crop + 1) : 0;
        boolean mirror = flip && rng.nextBoolean();
        return new SegmentationSample(s.id(), cropImage(img, x0, y0, mirror), cropLabel(lab, x0, y0, mirror));
    }

    private RgbImage cropImage(RgbImage img, int x0, int y0, boolean mirror) {
        byte[] out = new byte[crop * crop * 3];
        byte[] src = img.rgb();
        for (int y = 0; y < crop; y++) {
            int sy = y0 + y;
            for (int x = 0; x < crop; x++) {
                int sx = x0 + (mirror ? crop - 1 - x : x);
                int o = 3 * (y * crop + x);
                if (sy < img.height() && sx < img.width()) {
                    int i = 3 * (sy * img.width() + sx);
                    out[o] = src[i];
                    out[o + 1] = src[i + 1];
                    out[o + 2] = src[i + 2];
                } else {
                    out[o] = (byte) padRgb[0];
                    out[o + 1] = (byte) padRgb[1];
                    out[o + 2] = (byte) padRgb[2];
                }
            }
        }
        return new RgbImage(crop, crop, out);
    }

    private LabelMap cropLabel(LabelMap lab, int x0, int y0, boolean mirror) {
        byte[] out = new byte[crop * crop];
        byte[] src = lab.labels();
        for (int y = 0; y < crop; y++) {
            int sy = y0 + y;
            for (int x = 0; x < crop; x++) {
                int sx = x0 + (mirror ? crop - 1 - x : x);
                out[y * crop + x] = sy < lab.height() && sx < lab.width() ? src[sy * lab.width() + sx]
                        : (byte) LabelMap.IGNORE;
            }
        }
        return new LabelMap(crop, crop, out);
    }

    /** Builder; defaults are DeepLabV3's: scales 0.5–2.0, crop 513, ImageNet mean padding, flips on. */
    public static final class Builder {
        private double minScale = 0.5;
        private double maxScale = 2.0;
        private int crop = 513;
        private int[] padRgb = ImageNormalizer.IMAGENET.meanRgb255();
        private boolean flip = true;

        public Builder optScaleRange(double min, double max) {
            if (!(min > 0 && max >= min)) {
                throw new IllegalArgumentException("scale range must satisfy 0 < min <= max, got " + min + ".." + max);
            }
            this.minScale = min;
            this.maxScale = max;
            return this;
        }

        public Builder optCrop(int crop) {
            if (crop <= 0) {
                throw new IllegalArgumentException("crop must be positive, got " + crop);
            }
            this.crop = crop;
            return this;
        }

        /** The padding colour, RGB 0..255 (default the normaliser's mean, rounded). */
        public Builder optPadRgb(int[] padRgb) {
            this.padRgb = padRgb.clone();
            return this;
        }

        public Builder optFlip(boolean flip) {
            this.flip = flip;
            return this;
        }

        public RandomScaleCropFlip build() {
            return new RandomScaleCropFlip(this);
        }
    }
}
