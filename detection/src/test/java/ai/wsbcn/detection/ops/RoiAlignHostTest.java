package ai.wsbcn.detection.ops;

import ai.wsbcn.detection.box.OpsReference;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** The host RoIAlign, one RoI at a time on its image, against all 16 torchvision forward references (1e-5 abs). */
class RoiAlignHostTest {

    static List<RoiAlignReference.Case> cases() {
        return RoiAlignReference.cases();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void forwardEqualsTorchvision(RoiAlignReference.Case c) {
        OpsReference.with(c.file(), ref -> {
            long[] fs = ref.shape("features");
            int ch = (int) fs[1];
            int h = (int) fs[2];
            int w = (int) fs[3];
            float[] features = ref.floats("features");
            float[] rois = ref.floats("rois");
            float[] out = ref.floats("out");
            int per = ch * c.out() * c.out();
            for (int k = 0; k < rois.length / 5; k++) {
                int b = (int) rois[5 * k];
                float[] image = Arrays.copyOfRange(features, b * ch * h * w, (b + 1) * ch * h * w);
                float[] y = RoiAlignHost.roiAlign(image, ch, h, w, Arrays.copyOfRange(rois, 5 * k + 1, 5 * k + 5),
                        c.out(), c.scale(), c.samplingRatio(), c.aligned());
                double err = OpsReference.maxAbs(Arrays.copyOfRange(out, k * per, (k + 1) * per), y);
                assertTrue(err <= RoiAlignReference.TOL, c.file() + " roi " + k + " error " + err);
            }
        });
    }
}
