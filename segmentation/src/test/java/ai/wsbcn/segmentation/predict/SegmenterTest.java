package ai.wsbcn.segmentation.predict;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import ai.wsbcn.norm.ConvNorm;
import ai.wsbcn.norm.train.TransientArrays;
import ai.wsbcn.pretrained.data.RgbImage;
import ai.wsbcn.segmentation.data.LabelMap;
import ai.wsbcn.segmentation.model.DeepLabV3;
import ai.wsbcn.segmentation.model.ModelSpec;
import ai.wsbcn.segmentation.transforms.ImageNormalizer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
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

    @ParameterizedTest
    @ValueSource(strings = {"gn+ws", "bcn+ws", "frozen-bn"})
    void segmentingLeavesNothingInTheModelsManager(String norm) {
        try (NDManager m = NDManager.newBaseManager()) {
            DeepLabV3 net = ModelSpec.of(norm, "tiny", 8, 4, List.of()).withRates(2, 4, 6).withFilters(16)
                    .build(ConvNorm::parse);
            net.initialize(m, DataType.FLOAT32, new Shape(1, 3, 64, 64));
            Segmenter s = new Segmenter(net, m, ImageNormalizer.IMAGENET);
            RgbImage image = new RgbImage(24, 16, new byte[24 * 16 * 3]);
            LabelMap first = s.segment(image);
            TransientArrays counter = new TransientArrays(m);
            int before = counter.directCount();
            for (int i = 0; i < 3; i++) {
                assertArrayEquals(first.labels(), s.segment(image).labels());
            }
            // a +ws forward used to leave the standardised weights there, a model's worth per image
            assertEquals(before, counter.directCount(), norm);
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
