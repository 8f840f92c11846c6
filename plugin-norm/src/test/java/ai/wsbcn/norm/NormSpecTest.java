package ai.wsbcn.norm;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.convolutional.Conv2d;
import ai.wsbcn.norm.testing.TestEngines;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NormSpecTest {

    @ParameterizedTest
    @CsvSource({"frozen-bn, frozen-bn", "FrozenBN, frozen-bn", "bn, bn", "BN+WS, bn+ws", "gn, gn", "gn+ws, gn+ws",
        "bcn, bcn", "bcn+ws, bcn+ws", "none, none", "gn(16)+ws, gn(16)+ws", "BCN(32)+WS, bcn(32)+ws",
        "' gn(8) ', gn(8)", "frozen-bn+ws, frozen-bn+ws"})
    void parsesAliasesToTheCanonicalForm(String text, String canonical) {
        NormSpec spec = NormSpec.parse(text);
        assertEquals(canonical, spec.toString());
        assertEquals(spec, NormSpec.parse(spec.toString()), "toString round-trips");
    }

    /** The official code's WS conventions by name, kept through toString so that a saved model rebuilds them. */
    @Test
    void wsConventionSuffixes() {
        NormSpec std = NormSpec.parse("GN(32)+WS(std)");
        assertEquals(WsConvention.UNBIASED_STD, std.wsConvention());
        assertEquals("gn(32)+ws(std)", std.toString());
        assertEquals(std, NormSpec.parse(std.toString()));
        NormSpec unbiased = NormSpec.parse("bcn+ws(unbiased)");
        assertEquals(WsConvention.UNBIASED_VAR, unbiased.wsConvention());
        assertEquals("bcn+ws(unbiased)", unbiased.toString());
        assertEquals(WsConvention.BIASED_VAR, NormSpec.parse("gn+ws").wsConvention());
        assertEquals("gn+ws", NormSpec.parse("gn+ws").toString());
        WsConv2d conv = assertInstanceOf(WsConv2d.class,
                std.buildConv(ConvSpec.builder().setKernel(3).setFilters(8).optPadding(1).build()));
        assertEquals(WsConvention.UNBIASED_STD, conv.getConvention());
        InvalidNormException e = assertThrows(InvalidNormException.class, () -> NormSpec.parse("gn+ws(foo)"));
        assertTrue(e.getMessage().contains("+ws(unbiased) and +ws(std)"), e.getMessage());
    }

    @Test
    void exposesKindGroupsAndWs() {
        NormSpec spec = NormSpec.parse("bcn(16)+ws");
        assertEquals(NormSpec.Kind.BCN, spec.kind());
        assertEquals(16, spec.groups());
        assertTrue(spec.hasWs());
        NormSpec gn = NormSpec.parse("gn");
        assertEquals(0, gn.groups(), "no count means auto");
        assertEquals(32, gn.groupsFor(256));
        assertEquals(4, gn.groupsFor(16), "auto = min(32, C/4)");
        assertFalse(NormSpec.parse("none").hasNorm());
    }

    @ParameterizedTest
    @CsvSource({"batchnorm", "gn+", "gn(0)", "gn(-2)", "bcn(99999999999)", "bn(4)", "ws", "none+ws", "gn(x)", "''"})
    void rejectsUnknownStringsListingTheValidOnes(String text) {
        InvalidNormException e = assertThrows(InvalidNormException.class, () -> NormSpec.parse(text));
        assertTrue(e.getMessage().contains("gn+ws") && e.getMessage().contains("frozen-bn"), e.getMessage());
        if (text.contains("(-") || text.contains("(0") || text.contains("999")) {
            assertTrue(e.getMessage().contains("the group count must be a positive int"), e.getMessage());
        }
    }

    @Test
    void buildsTheNormForEachKind() {
        assertInstanceOf(GroupNorm.class, NormSpec.parse("gn+ws").buildNorm(64));
        assertEquals(16, ((GroupNorm) NormSpec.parse("gn").buildNorm(64)).getGroups());
        assertInstanceOf(BatchChannelNorm.class, NormSpec.parse("bcn").buildNorm(64));
        assertInstanceOf(FrozenBatchNorm.class, NormSpec.parse("frozen-bn").buildNorm(64));
        assertInstanceOf(BatchNorm2d.class, NormSpec.parse("bn").buildNorm(64));
        assertInstanceOf(Identity.class, NormSpec.parse("none").buildNorm(64));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> NormSpec.parse("gn(32)").buildNorm(48));
        assertTrue(e.getMessage().contains("48 channels"), e.getMessage());
    }

    @Test
    void buildsStandardizedConvsOnlyWithWs() {
        ConvSpec conv = ConvSpec.builder().setKernel(3).setFilters(8).optStride(2).optPadding(1).build();
        Block ws = NormSpec.parse("gn+ws").buildConv(conv);
        Block plain = NormSpec.parse("gn").buildConv(conv);
        assertInstanceOf(WsConv2d.class, ws);
        assertFalse(plain instanceof WsConv2d);
        assertEquals(new Shape(2, 2), ((Conv2d) ws).getStride());
        try (NDManager m = TestEngines.manager(TestEngines.MXNET)) {
            ws.initialize(m, DataType.FLOAT32, new Shape(1, 4, 9, 9));
            assertEquals(new Shape(8, 4, 3, 3), ws.getParameters().get("weight").getArray().getShape());
            assertEquals(new Shape(1, 8, 5, 5), ws.getOutputShapes(new Shape[] {new Shape(1, 4, 9, 9)})[0]);
        }
    }
}
