package ai.wsbcn.norm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.norm.BatchNorm;
import ai.wsbcn.util.InvalidInputException;

import org.junit.jupiter.api.Test;

/** The conv/norm seam of the pipelines' architectures: what each {@code --norm} value builds. */
class ConvNormTest {

    private static Shape out(Block conv, Shape in) {
        return conv.getOutputShapes(new Shape[] {in})[0];
    }

    @Test
    void normSpecStringsBuildPluginNormLayers() {
        ConvNorm cn = ConvNorm.parse("GN(16)+WS");
        assertEquals("gn(16)+ws", cn.describe());
        assertEquals(NormSpec.parse("gn(16)+ws"), cn.normSpec().orElseThrow());
        assertInstanceOf(WsConv2d.class, cn.conv(3, 8, 1, 1));
        GroupNorm gn = assertInstanceOf(GroupNorm.class, cn.norm(64));
        assertEquals(16, gn.getGroups());
        assertFalse(cn.usesPerChannelBatchStatistics());
        assertTrue(ConvNorm.parse("bn").usesPerChannelBatchStatistics());
        assertInstanceOf(Conv2d.class, ConvNorm.parse("gn").conv(3, 8, 1, 1), "no WS without +ws");
    }

    @Test
    void djlBnIsDjlsOwnLayers() {
        ConvNorm cn = ConvNorm.parse(" djl-BN ");
        assertEquals("djl-bn", cn.describe());
        assertTrue(cn.normSpec().isEmpty());
        assertInstanceOf(Conv2d.class, cn.dilatedConv(3, 8, 1, 2, true));
        assertInstanceOf(BatchNorm.class, cn.norm(8));
        assertTrue(cn.usesPerChannelBatchStatistics());
    }

    @Test
    void paddingOfBothConvolutionForms() {
        Shape in = new Shape(1, 4, 9, 9);
        for (ConvNorm cn : new ConvNorm[] {ConvNorm.parse("gn+ws"), ConvNorm.djlBatchNorm()}) {
            // "same" padding for any dilation: 9 -> 9; stride 2: 9 -> 5
            assertEquals(new Shape(1, 8, 9, 9), out(cn.dilatedConv(3, 8, 1, 3, false), in), cn.describe());
            assertEquals(new Shape(1, 8, 5, 5), out(cn.dilatedConv(3, 8, 2, 1, false), in), cn.describe());
            // explicit padding: 7x7 stride 2 pad 3 (a ResNet stem): 9 -> 5; 1x1 pad 0: 9 -> 9
            assertEquals(new Shape(1, 8, 5, 5), out(cn.conv(7, 8, 2, 3), in), cn.describe());
            assertEquals(new Shape(1, 8, 9, 9), out(cn.conv(1, 8, 1, 0), in), cn.describe());
        }
    }

    @Test
    void aBadValueNamesTheFlagAndTheChoices() {
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> ConvNorm.parse("gn+wx"));
        assertTrue(e.getMessage().startsWith("--norm: ") && e.getMessage().contains("gn+ws")
                && e.getMessage().contains("djl-bn"), e.getMessage());
    }
}
