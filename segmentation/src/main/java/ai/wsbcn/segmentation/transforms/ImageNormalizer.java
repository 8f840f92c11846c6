package ai.wsbcn.segmentation.transforms;

import ai.wsbcn.pretrained.data.RgbImage;

/**
 * RGB bytes to a normalised {@code 3 x H x W} float array: {@code (v / 255 - mean) / std} per channel, the input
 * convention of torchvision's ImageNet backbones.
 */
public record ImageNormalizer(float[] mean, float[] std) {

    public static final ImageNormalizer IMAGENET =
            new ImageNormalizer(new float[] {0.485f, 0.456f, 0.406f}, new float[] {0.229f, 0.224f, 0.225f});

    /** The mean as 0..255 RGB, rounded: the padding colour that normalises to (nearly) zero. */
    public int[] meanRgb255() {
        return new int[] {Math.round(mean[0] * 255), Math.round(mean[1] * 255), Math.round(mean[2] * 255)};
    }

    /** Writes the {@code 3 x H x W} normalised image into {@code out} starting at {@code offset}. */
    public void toChw(RgbImage img, float[] out, int offset) {
        int hw = img.width() * img.height();
        byte[] rgb = img.rgb();
        float[] scale = new float[3];
        float[] shift = new float[3];
        for (int c = 0; c < 3; c++) {
            scale[c] = 1f / (255f * std[c]);
            shift[c] = -mean[c] / std[c];
        }
        for (int p = 0; p < hw; p++) {
            for (int c = 0; c < 3; c++) {
                out[offset + c * hw + p] = (rgb[3 * p + c] & 0xff) * scale[c] + shift[c];
            }
        }
    }

    public float[] toChw(RgbImage img) {
        float[] out = new float[3 * img.width() * img.height()];
        toChw(img, out, 0);
        return out;
    }
}
