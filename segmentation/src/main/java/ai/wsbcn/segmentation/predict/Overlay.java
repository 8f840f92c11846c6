package ai.wsbcn.segmentation.predict;

import ai.wsbcn.segmentation.data.LabelMap;
import ai.wsbcn.pretrained.data.RgbImage;
import ai.wsbcn.segmentation.data.VocPalette;

/** The image blended with the VOC colour of each pixel's class (background and ignore left as they are). */
public final class Overlay {

    private Overlay() {}

    public static RgbImage blend(RgbImage image, LabelMap labels, float alpha) {
        if (image.width() != labels.width() || image.height() != labels.height()) {
            throw new IllegalArgumentException("overlay: image " + image.width() + "x" + image.height()
                    + " vs labels " + labels.width() + "x" + labels.height());
        }
        byte[] src = image.rgb();
        byte[] out = src.clone();
        byte[] lab = labels.labels();
        for (int p = 0; p < lab.length; p++) {
            int c = lab[p] & 0xff;
            if (c == 0 || c == LabelMap.IGNORE) {
                continue;
            }
            for (int k = 0; k < 3; k++) {
                float v = (1 - alpha) * (src[3 * p + k] & 0xff) + alpha * VocPalette.component(c, k);
                out[3 * p + k] = (byte) Math.round(v);
            }
        }
        return new RgbImage(image.width(), image.height(), out);
    }
}
