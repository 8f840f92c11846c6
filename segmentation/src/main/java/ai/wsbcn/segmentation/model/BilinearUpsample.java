package ai.wsbcn.segmentation.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/**
 * Differentiable bilinear resizing of {@code N x C x H x W} maps on any engine, as two matrix products with
 * interpolation matrices ({@code out = Ry * X * Rx^T}); semantics of PyTorch's
 * {@code F.interpolate(mode='bilinear')} with {@code align_corners} false (torchvision's DeepLabV3) or true (the
 * official WS/BCN DeepLab code).
 */
public final class BilinearUpsample {

    private BilinearUpsample() {}

    public static NDArray resize(NDArray x, int outH, int outW, boolean alignCorners) {
        long h = x.getShape().get(2);
        long w = x.getShape().get(3);
        if (h == outH && w == outW) {
            return x;
        }
        NDManager m = x.getManager();
        NDArray rxT = m.create(weights((int) w, outW, alignCorners), new ai.djl.ndarray.types.Shape(outW, w))
                .toType(x.getDataType(), false).transpose();
        NDArray ryT = m.create(weights((int) h, outH, alignCorners), new ai.djl.ndarray.types.Shape(outH, h))
                .toType(x.getDataType(), false).transpose();
        NDArray cols = x.matMul(rxT); // N C H outW
        NDArray rows = cols.transpose(0, 1, 3, 2).matMul(ryT); // N C outW outH
        return rows.transpose(0, 1, 3, 2);
    }

    /** Row {@code o} holds the weights of input positions for output position {@code o}. */
    static float[] weights(int in, int out, boolean alignCorners) {
        float[] r = new float[out * in];
        for (int o = 0; o < out; o++) {
            double src;
            if (alignCorners) {
                src = out == 1 ? 0 : (double) o * (in - 1) / (out - 1);
            } else {
                src = Math.max(0, (o + 0.5) * in / out - 0.5);
            }
            int i0 = Math.min((int) Math.floor(src), in - 1);
            int i1 = Math.min(i0 + 1, in - 1);
            double f = src - i0;
            r[o * in + i0] += (float) (1 - f);
            r[o * in + i1] += (float) f;
        }
        return r;
    }
}
