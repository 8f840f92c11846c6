package ai.wsbcn.segmentation.predict;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import ai.wsbcn.norm.ConvNorm;
import ai.wsbcn.pretrained.data.RgbImage;
import ai.wsbcn.segmentation.data.LabelMap;
import ai.wsbcn.segmentation.model.DeepLabV3;
import ai.wsbcn.segmentation.model.ModelSpec;
import ai.wsbcn.segmentation.transforms.ImageNormalizer;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The in-memory inference entry point: the image's own size back, and clear errors for misuse. */
class SegmenterTest {

    private static DeepLabV3 tiny() {
        return ModelSpec.of("gn", "tiny", 8, 4, List.of()).withRates(2, 4, 6).withFilters(16)
                .build(ConvNorm::parse);
    }

    @Test
    void labelMapHasTheImagesSizeAndClassIndices() {
        try (NDManager m = NDManager.newBaseManager()) {
            DeepLabV3 net = tiny();
            net.initialize(m, DataType.FLOAT32, new Shape(1, 3, 64, 64));
            byte[] rgb = new byte[37 * 53 * 3];
            for (int i = 0; i < rgb.length; i++) {
                rgb[i] = (byte) (i * 31);
            }
            LabelMap out = new Segmenter(net, m, ImageNormalizer.IMAGENET).segment(new RgbImage(37, 53, rgb));
            assertEquals(37, out.width());
            assertEquals(53, out.height());
            for (byte b : out.labels()) {
                assertTrue((b & 0xff) < 4);
            }
        }
    }

    @Test
    void misuseGetsClearErrors() {
        try (NDManager m = NDManager.newBaseManager()) {
            DeepLabV3 net = tiny();
            Segmenter s = new Segmenter(net, m, ImageNormalizer.IMAGENET);
            RgbImage image = new RgbImage(8, 8, new byte[8 * 8 * 3]);
            // was DJL's UninitializedParameterException naming a parameter "weight"
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> s.segment(image));
            assertTrue(e.getMessage().contains("not initialised"), e.getMessage());
            net.initialize(m, DataType.FLOAT32, new Shape(1, 3, 64, 64));
            assertThrows(NullPointerException.class, () -> s.segment(null));
            // was "the shape of input or weight doesn't match the conv2d"
            IllegalArgumentException shape = assertThrows(IllegalArgumentException.class, () -> net.forward(
                    new ParameterStore(m, false), new NDList(m.zeros(new Shape(3, 32, 32))), false));
            assertTrue(shape.getMessage().contains("DeepLabV3 takes an image batch (N, 3, H, W), got (3, 32, 32)"),
                    shape.getMessage());
        }
    }
}
