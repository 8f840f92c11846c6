package ai.wsbcn.norm;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.wsbcn.norm.engine.FusedNormKernels;
import ai.wsbcn.norm.engine.NormKernels;
import ai.wsbcn.norm.testing.ReferenceData;
import ai.wsbcn.norm.testing.TestEngines;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

import static ai.wsbcn.norm.testing.NumericAssert.assertRelClose;

/**
 * Forward and backward of every norm layer against the PyTorch-computed vectors (float64 compute, float32 storage)
 * on both engines and both kernel routes. Tolerance: relative error ||a - b|| / ||b|| < 1e-4 (NumericAssert.REL_TOL),
 * the bound the reference README sets for float32 implementations.
 */
class NormLayerReferenceTest {

    private static final String[] WS_FILES = {"ws_w8x4x3x3", "ws_w32x16x3x3", "ws_w64x3x7x7", "ws_w256x64x1x1"};
    private static final String[] GN_FILES = {"gn_n1_c16_5x5_g4", "gn_n1_c64_13x17_g32", "gn_n2_c256_8x8_g32",
        "gn_n2_c32_6x6_g8_smallvar"};
    private static final String[] BCN_MICRO_FILES = {"bcn_micro_b1_c64_9x11_g32_r0.1",
        "bcn_micro_b2_c16_5x7_g4_r0.3", "bcn_micro_b2_c64_9x11_g32_r0.1"};

    @AfterEach
    void resetRoute() {
        System.clearProperty(NormKernels.ROUTE_PROPERTY);
        System.clearProperty(FusedNormKernels.FUSED_AFFINE_PROPERTY);
        System.clearProperty(FusedNormKernels.FUSED_GROUP_AFFINE_PROPERTY);
    }

    /**
     * (engine, route) pairs: every engine on the automatic and on the portable route, plus PyTorch with every fused
     * form forced on (the per-channel affine as one inference batch norm, which it uses only for large inputs) and
     * with every composed form (BCN's group stage as layer norm + affine instead of its default slice batch norm).
     */
    static Stream<Arguments> routes() {
        List<Arguments> out = new ArrayList<>();
        TestEngines.names().forEach(e -> out.add(Arguments.of(e, "auto")));
        TestEngines.names().forEach(e -> out.add(Arguments.of(e, "portable")));
        out.add(Arguments.of(TestEngines.PYTORCH, ALL_FUSED_ROUTE));
        out.add(Arguments.of(TestEngines.PYTORCH, ALL_COMPOSED_ROUTE));
        return out.stream();
    }

    private static final String ALL_FUSED_ROUTE = "fused+largeAffine";
    private static final String ALL_COMPOSED_ROUTE = "fused+composedGroupStage";

    private static void useRoute(String route) {
        if (route.equals(ALL_FUSED_ROUTE) || route.equals(ALL_COMPOSED_ROUTE)) {
            String threshold = route.equals(ALL_FUSED_ROUTE) ? "0" : String.valueOf(Long.MAX_VALUE);
            System.setProperty(NormKernels.ROUTE_PROPERTY, "fused");
            System.setProperty(FusedNormKernels.FUSED_AFFINE_PROPERTY, threshold);
            System.setProperty(FusedNormKernels.FUSED_GROUP_AFFINE_PROPERTY, threshold);
        } else {
            System.setProperty(NormKernels.ROUTE_PROPERTY, route);
        }
    }

    /** Stride, padding and dilation of each WS file, from the manifest. */
    private static int[] convSettings(String file) {
        switch (file) {
            case "ws_w64x3x7x7":
                return new int[] {2, 3, 1};
            case "ws_w256x64x1x1":
                return new int[] {1, 0, 1};
            case "ws_w32x16x3x3":
                return new int[] {1, 2, 2};
            case "ws_w8x4x3x3":
                return new int[] {2, 1, 1};
            default:
                throw new IllegalArgumentException(file);
        }
    }

    private static int groupsOf(String file) {
        String g = file.substring(file.lastIndexOf("_g") + 2);
        int cut = g.indexOf('_');
        return Integer.parseInt(cut < 0 ? g : g.substring(0, cut));
    }

    /** (file key prefix, convention) of each WS convention in the reference files. */
    private static final String[][] WS_CONVENTIONS = {{"biased_var_eps_in", "BIASED_VAR"},
        {"unbiased_var_eps_in", "UNBIASED_VAR"}, {"unbiased_std_eps_out", "UNBIASED_STD"}};

    /** The WS convolution of a reference file: its weight's shape, its stride, padding and dilation, no bias. */
    private static WsConv2d wsConv(String file, Shape ws, WsConvention convention) {
        int[] spd = convSettings(file);
        return WsConv2d.builder().setKernelShape(new Shape(ws.get(2), ws.get(3))).setFilters((int) ws.get(0))
                .optStride(new Shape(spd[0], spd[0])).optPadding(new Shape(spd[1], spd[1]))
                .optDilation(new Shape(spd[2], spd[2])).optBias(false).optConvention(convention).build();
    }

    /** The output {@code <key>__y} and the input gradient {@code <key>__dx} of a reference file. */
    private static void assertOutputAndInputGradient(ReferenceData ref, String key, LayerHarness.Result r,
            String what) {
        assertRelClose(ref.get(key + "__y"), r.y(), what + " y");
        assertRelClose(ref.get(key + "__dx"), r.dx(), what + " dx");
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("routes")
    void weightStandardizedConvolution(String engine, String route) {
        useRoute(route);
        try (NDManager m = TestEngines.manager(engine)) {
            for (String file : WS_FILES) {
                ReferenceData ref = ReferenceData.load(m, "ws/" + file + ".npz");
                NDArray w = ref.get("w");
                for (String[] c : WS_CONVENTIONS) {
                    WsConvention convention = WsConvention.valueOf(c[1]);
                    assertRelClose(ref.get(c[0] + "__w_hat"),
                            WeightStandardization.standardize(w, 1e-5f, convention), file + " " + c[0] + " w_hat");
                    WsConv2d conv = wsConv(file, w.getShape(), convention);
                    LayerHarness h = new LayerHarness(m, conv, ref.get("x")).set("weight", w);
                    LayerHarness.Result r = h.train(ref.get("x"), ref.get("g"));
                    String what = engine + " " + file + " " + c[0];
                    assertOutputAndInputGradient(ref, c[0], r, what);
                    assertRelClose(ref.get(c[0] + "__dw"), r.grad("weight"), what + " dw");
                }
            }
        }
    }

    /**
     * The same vectors through a held W_hat (what {@code MicroBatchTrainer} does): hold, forward and backward with the
     * held array, release its gradient to the weight. On MXNet's automatic route the hold and release run on the
     * host ({@code HostRowStandardization}); on the portable route and on PyTorch through autograd. Relative error
     * under 1e-4, as everywhere here.
     */
    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("enginesOnAutoAndPortable")
    void heldWeightStandardizedConvolution(String engine, String route) {
        useRoute(route);
        try (NDManager m = TestEngines.manager(engine)) {
            for (String file : WS_FILES) {
                ReferenceData ref = ReferenceData.load(m, "ws/" + file + ".npz");
                for (String[] c : WS_CONVENTIONS) {
                    WsConv2d conv = wsConv(file, ref.get("w").getShape(), WsConvention.valueOf(c[1]));
                    LayerHarness h = new LayerHarness(m, conv, ref.get("x")).set("weight", ref.get("w"));
                    String what = engine + " " + route + " " + file + " " + c[0];
                    // twice: the second hold reuses the arrays of the first on the host route
                    for (int round = 0; round < 2; round++) {
                        NDArray leaf = conv.holdStandardizedWeight();
                        assertRelClose(ref.get(c[0] + "__w_hat"), leaf, what + " held w_hat");
                        assertOutputAndInputGradient(ref, c[0], h.train(ref.get("x"), ref.get("g")), what);
                        try (NDArray g = leaf.getGradient()) {
                            conv.releaseStandardizedWeight(g);
                        }
                        try (NDArray dw = h.param("weight").getGradient()) {
                            assertRelClose(ref.get(c[0] + "__dw"), dw, what + " dw, round " + round);
                        }
                    }
                }
            }
        }
    }

    static Stream<Arguments> enginesOnAutoAndPortable() {
        List<Arguments> out = new ArrayList<>();
        TestEngines.names().forEach(e -> out.add(Arguments.of(e, "auto")));
        TestEngines.names().forEach(e -> out.add(Arguments.of(e, "portable")));
        return out.stream();
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("routes")
    void groupNorm(String engine, String route) {
        useRoute(route);
        try (NDManager m = TestEngines.manager(engine)) {
            for (String file : GN_FILES) {
                ReferenceData ref = ReferenceData.load(m, "gn/" + file + ".npz");
                GroupNorm gn = GroupNorm.builder().optGroups(groupsOf(file)).build();
                LayerHarness h = new LayerHarness(m, gn, ref.get("x")).set("weight", ref.get("gamma"))
                        .set("bias", ref.get("beta"));
                LayerHarness.Result r = h.train(ref.get("x"), ref.get("g"));
                String what = engine + "/" + route + " " + file;
                assertRelClose(ref.get("y"), r.y(), what + " y");
                assertRelClose(ref.get("dx"), r.dx(), what + " dx");
                assertRelClose(ref.get("dgamma"), r.grad("weight"), what + " dgamma");
                assertRelClose(ref.get("dbeta"), r.grad("bias"), what + " dbeta");
                assertRelClose(ref.get("y"), h.infer(ref.get("x")), what + " inference y");
            }
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("routes")
    void frozenBatchNorm(String engine, String route) {
        useRoute(route);
        try (NDManager m = TestEngines.manager(engine)) {
            ReferenceData ref = ReferenceData.load(m, "frozenbn/frozenbn_c64.npz");
            FrozenBatchNorm bn = FrozenBatchNorm.builder().build();
            LayerHarness h = new LayerHarness(m, bn, ref.get("x"));
            for (String p : new String[] {"weight", "bias", "running_mean", "running_var"}) {
                h.set(p, ref.get(p));
            }
            LayerHarness.Result r = h.train(ref.get("x"), ref.get("g"));
            assertRelClose(ref.get("y"), r.y(), engine + " frozen bn y");
            assertRelClose(ref.get("dx"), r.dx(), engine + " frozen bn dx");
            assertRelClose(ref.get("y"), h.infer(ref.get("x")), engine + " frozen bn inference y");
            org.junit.jupiter.api.Assertions.assertTrue(r.grads().isEmpty(), "frozen BN trains nothing");
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("routes")
    void microBatchBcnOverConsecutiveSteps(String engine, String route) {
        useRoute(route);
        try (NDManager m = TestEngines.manager(engine)) {
            for (String file : BCN_MICRO_FILES) {
                for (String affine : new String[] {"group", "channel"}) {
                    ReferenceData ref = ReferenceData.load(m, "bcn/" + file + ".npz");
                    float rate = Float.parseFloat(file.substring(file.lastIndexOf("_r") + 2));
                    BatchChannelNorm bcn = BatchChannelNorm.builder().optGroups(groupsOf(file))
                            .optChannelAffine(affine.equals("channel")).build();
                    bcn.setUpdateRate(rate);
                    NDArray x = ref.get("x");
                    LayerHarness h = new LayerHarness(m, bcn, x.get(0)).set("batch_weight", ref.get("gamma_b"))
                            .set("batch_bias", ref.get("beta_b")).set("weight", ref.get("gamma_c_" + affine))
                            .set("bias", ref.get("beta_c_" + affine));
                    String p = affine + "__";
                    long steps = x.getShape().get(0);
                    for (int t = 0; t < steps; t++) {
                        LayerHarness.Result r = h.train(x.get(t), ref.get("g").get(t));
                        String what = String.format(Locale.ROOT, "%s/%s %s %s step %d", engine, route, file,
                                affine, t);
                        assertRelClose(ref.get("running_mean").get(t), h.param("running_mean"), what + " mu_hat");
                        assertRelClose(ref.get("running_var").get(t), h.param("running_var"), what + " var_hat");
                        assertRelClose(ref.get(p + "y").get(t), r.y(), what + " y");
                        assertRelClose(ref.get(p + "dx").get(t), r.dx(), what + " dx");
                        assertRelClose(ref.get(p + "dgamma_b").get(t), r.grad("batch_weight"), what + " dgamma_b");
                        assertRelClose(ref.get(p + "dbeta_b").get(t), r.grad("batch_bias"), what + " dbeta_b");
                        assertRelClose(ref.get(p + "dgamma_c").get(t), r.grad("weight"), what + " dgamma_c");
                        assertRelClose(ref.get(p + "dbeta_c").get(t), r.grad("bias"), what + " dbeta_c");
                    }
                    NDArray before = h.param("running_mean").duplicate();
                    assertRelClose(ref.get(p + "y_eval"), h.infer(ref.get("x_eval")), engine + " " + file
                            + " inference");
                    assertRelClose(before, h.param("running_mean"), "inference leaves the estimates alone");
                }
            }
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("routes")
    void largeBatchBcn(String engine, String route) {
        useRoute(route);
        try (NDManager m = TestEngines.manager(engine)) {
            for (String affine : new String[] {"group", "channel"}) {
                ReferenceData ref = ReferenceData.load(m, "bcn/bcn_large_batch_b8_c32_7x7_g8.npz");
                BatchChannelNorm bcn = BatchChannelNorm.builder().optGroups(8).optMode(BatchChannelNorm.Mode.LARGE)
                        .optChannelAffine(affine.equals("channel")).build();
                LayerHarness h = new LayerHarness(m, bcn, ref.get("x")).set("batch_weight", ref.get("gamma_b"))
                        .set("batch_bias", ref.get("beta_b")).set("weight", ref.get("gamma_c_" + affine))
                        .set("bias", ref.get("beta_c_" + affine));
                LayerHarness.Result r = h.train(ref.get("x"), ref.get("g"));
                String p = affine + "__";
                String what = engine + "/" + route + " large " + affine;
                assertRelClose(ref.get(p + "y"), r.y(), what + " y");
                assertRelClose(ref.get(p + "dx"), r.dx(), what + " dx");
                assertRelClose(ref.get(p + "dgamma_b"), r.grad("batch_weight"), what + " dgamma_b");
                assertRelClose(ref.get(p + "dbeta_b"), r.grad("batch_bias"), what + " dbeta_b");
                assertRelClose(ref.get(p + "dgamma_c"), r.grad("weight"), what + " dgamma_c");
                assertRelClose(ref.get(p + "dbeta_c"), r.grad("bias"), what + " dbeta_c");
                assertRelClose(ref.get("bn_running_mean"), h.param("running_mean"), what + " running mean");
                assertRelClose(ref.get("bn_running_var"), h.param("running_var"), what + " running var");
                assertRelClose(ref.get(p + "y_eval"), h.infer(ref.get("x_eval")), what + " inference");
            }
        }
    }
}
