package ai.wsbcn.detection.ops;

/**
 * torchvision's RoIAlign forward on the host for one box of one image (all channels): average of bilinear samples
 * on a regular grid in each output bin. Used for targets that carry no gradient (mask projection). float32
 * arithmetic in torchvision's operation order.
 */
public final class RoiAlignHost {

    private RoiAlignHost() {}

    /**
     * @param image (c, h, w) row-major
     * @param box x1, y1, x2, y2 in image pixels (scaled by spatialScale)
     * @param out output side (out x out bins)
     * @param samplingRatio samples per bin side; <= 0 = adaptive ceil(roi size / out)
     * @param aligned shift by half a pixel (and no minimum roi size of 1), torchvision's {@code aligned=True}
     * @return (c, out, out) row-major
     */
    public static float[] roiAlign(float[] image, int c, int h, int w, float[] box, int out, float spatialScale,
                                   int samplingRatio, boolean aligned) {
        if (image.length != c * h * w) {
            throw new IllegalArgumentException("roiAlign: image has " + image.length + " values, expected "
                    + c + "x" + h + "x" + w);
        }
        return roiAlign(i -> image[i], c, h, w, box, out, spatialScale, samplingRatio, aligned);
    }

    /**
     * The same on a binary mask (h*w, nonzero = 1) read in place: mask targets sample a few thousand pixels of an
     * image-sized mask, so converting the whole mask to floats per proposal would dominate.
     */
    public static float[] roiAlignBinary(byte[] mask, int h, int w, float[] box, int out, float spatialScale,
                                         int samplingRatio, boolean aligned) {
        if (mask.length != h * w) {
            throw new IllegalArgumentException("roiAlign: mask has " + mask.length + " pixels, expected " + h + "x"
                    + w);
        }
        return roiAlign(i -> mask[i] != 0 ? 1f : 0f, 1, h, w, box, out, spatialScale, samplingRatio, aligned);
    }

    /** Pixel values by flat (c, y, x) index. */
    private interface Pixels {
        float at(int index);
    }

    private static float[] roiAlign(Pixels image, int c, int h, int w, float[] box, int out, float spatialScale,
                                    int samplingRatio, boolean aligned) {
        RoiGrid gy = RoiGrid.of(box[1], box[3], spatialScale, out, samplingRatio, aligned, h);
        RoiGrid gx = RoiGrid.of(box[0], box[2], spatialScale, out, samplingRatio, aligned, w);
        float count = Math.max(gy.grid * gx.grid, 1);
        float[] result = new float[c * out * out];
        for (int ch = 0; ch < c; ch++) {
            int base = ch * h * w;
            for (int py = 0; py < out; py++) {
                for (int px = 0; px < out; px++) {
                    float acc = 0f;
                    for (int iy = 0; iy < gy.grid; iy++) {
                        int sy = py * gy.grid + iy;
                        if (!gy.valid[sy]) {
                            continue;
                        }
                        int rowLo = base + gy.low[sy] * w;
                        int rowHi = base + gy.high[sy] * w;
                        for (int ix = 0; ix < gx.grid; ix++) {
                            int sx = px * gx.grid + ix;
                            if (!gx.valid[sx]) {
                                continue;
                            }
                            float hy = gy.wLow[sy];
                            float ly = gy.wHigh[sy];
                            float hx = gx.wLow[sx];
                            float lx = gx.wHigh[sx];
                            acc += hy * hx * image.at(rowLo + gx.low[sx]) + hy * lx * image.at(rowLo + gx.high[sx])
                                    + ly * hx * image.at(rowHi + gx.low[sx]) + ly * lx * image.at(rowHi + gx.high[sx]);
                        }
                    }
                    result[(ch * out + py) * out + px] = acc / count;
                }
            }
        }
        return result;
    }
}
