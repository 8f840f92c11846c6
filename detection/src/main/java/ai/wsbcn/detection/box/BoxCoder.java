package ai.wsbcn.detection.box;

/**
 * torchvision's {@code BoxCoder}: box regression targets relative to reference boxes (anchors or proposals), with
 * weights {@code (wx, wy, ww, wh)} and the log-scale deltas clamped at {@code scaleClamp} (default log(1000/16)) when
 * decoding. float32 arithmetic in torchvision's operation order.
 */
public final class BoxCoder {

    private final float wx;
    private final float wy;
    private final float ww;
    private final float wh;
    private final float scaleClamp;

    /** Weights {@code (wx, wy, ww, wh)}; clamp log(1000/16). RPN uses (1,1,1,1), the box head (10,10,5,5). */
    public BoxCoder(float wx, float wy, float ww, float wh) {
        this(wx, wy, ww, wh, Math.log(1000.0 / 16));
    }

    public BoxCoder(float wx, float wy, float ww, float wh, double scaleClamp) {
        this.wx = wx;
        this.wy = wy;
        this.ww = ww;
        this.wh = wh;
        this.scaleClamp = (float) scaleClamp;
    }

    /**
     * Deltas {@code (dx, dy, dw, dh)} that take each {@code reference} row to the {@code matchedGt} row of the same
     * index (torchvision {@code encode_single(matched_gt, reference)}); both n*4, result n*4.
     */
    public float[] encode(float[] reference, float[] matchedGt) {
        int n = Boxes.count(reference);
        if (matchedGt.length != reference.length) {
            throw new IllegalArgumentException("encode: " + n + " reference boxes but " + matchedGt.length / 4
                    + " matched boxes");
        }
        float[] out = new float[4 * n];
        for (int i = 0; i < n; i++) {
            int o = 4 * i;
            float pw = reference[o + 2] - reference[o];
            float ph = reference[o + 3] - reference[o + 1];
            float pcx = reference[o] + 0.5f * pw;
            float pcy = reference[o + 1] + 0.5f * ph;
            float gw = matchedGt[o + 2] - matchedGt[o];
            float gh = matchedGt[o + 3] - matchedGt[o + 1];
            float gcx = matchedGt[o] + 0.5f * gw;
            float gcy = matchedGt[o + 1] + 0.5f * gh;
            out[o] = wx * (gcx - pcx) / pw;
            out[o + 1] = wy * (gcy - pcy) / ph;
            out[o + 2] = ww * (float) Math.log(gw / pw);
            out[o + 3] = wh * (float) Math.log(gh / ph);
        }
        return out;
    }

    /**
     * Boxes from deltas (torchvision {@code decode_single}). {@code deltas} has n rows of 4k values (k = 1, or one
     * group of 4 per class as the box predictor outputs); row i of every group applies to {@code reference} row i.
     * The result has the layout of {@code deltas}.
     */
    public float[] decode(float[] deltas, float[] reference) {
        int n = Boxes.count(reference);
        if (n == 0) {
            if (deltas.length != 0) {
                throw new IllegalArgumentException("decode: deltas for 0 reference boxes");
            }
            return new float[0];
        }
        if (deltas.length % (4 * n) != 0) {
            throw new IllegalArgumentException("decode: " + deltas.length + " deltas do not fit " + n
                    + " reference boxes (need n*4k)");
        }
        int stride = deltas.length / n;
        float[] out = new float[deltas.length];
        for (int i = 0; i < n; i++) {
            int r = 4 * i;
            float w = reference[r + 2] - reference[r];
            float h = reference[r + 3] - reference[r + 1];
            float cx = reference[r] + 0.5f * w;
            float cy = reference[r + 1] + 0.5f * h;
            for (int o = i * stride; o < (i + 1) * stride; o += 4) {
                float dx = deltas[o] / wx;
                float dy = deltas[o + 1] / wy;
                float dw = Math.min(deltas[o + 2] / ww, scaleClamp);
                float dh = Math.min(deltas[o + 3] / wh, scaleClamp);
                float pcx = dx * w + cx;
                float pcy = dy * h + cy;
                float halfW = 0.5f * ((float) Math.exp(dw) * w);
                float halfH = 0.5f * ((float) Math.exp(dh) * h);
                out[o] = pcx - halfW;
                out[o + 1] = pcy - halfH;
                out[o + 2] = pcx + halfW;
                out[o + 3] = pcy + halfH;
            }
        }
        return out;
    }
}
