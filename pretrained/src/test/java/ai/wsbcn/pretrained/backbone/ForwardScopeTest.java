package ai.wsbcn.pretrained.backbone;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.BaseNDManager;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import ai.wsbcn.norm.testing.TestEngines;
import ai.wsbcn.util.ForwardScope;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@link ForwardScope}: outputs survive in the caller's manager, inputs go back to theirs, temporaries are closed; a
 * small ResNet's logits (classifier) or C2..C5 (feature extractor) and all gradients are bit-identical with scoping
 * on and off.
 */
class ForwardScopeTest {

    @AfterEach
    void restore() {
        ForwardScope.setEnabled(true);
    }

    @ParameterizedTest
    @MethodSource("ai.wsbcn.norm.testing.TestEngines#names")
    void keepsOutputsAndInputsAndClosesTemporaries(String engine) {
        try (NDManager m = TestEngines.manager(engine)) {
            NDArray x = m.arange(6f).reshape(2, 3);
            NDArray[] temp = new NDArray[1];
            NDArray y = ForwardScope.run(x, in -> {
                temp[0] = in.mul(in);
                return temp[0].add(in);
            });
            assertSame(m, x.getManager());
            assertSame(m, y.getManager());
            assertFalse(x.isReleased());
            assertTrue(temp[0].isReleased());
            assertArrayEquals(new float[] {0, 2, 6, 12, 20, 30}, y.toFloatArray(), 0f);
            NDArray same = ForwardScope.run(x, in -> in);
            assertSame(x, same);
            assertSame(m, x.getManager());
        }
    }

    @ParameterizedTest
    @CsvSource({"MXNet, gn+ws, true", "MXNet, bcn+ws, false", "PyTorch, gn+ws, false", "PyTorch, bcn+ws, true"})
    void resnetOutputsAndGradientsAreBitIdentical(String engine, String norm, boolean features) {
        try (NDManager m = TestEngines.manager(engine)) {
            ResNet net = ResNets.builder().setArch("resnet18").setNorm(norm).optWidth(8).optStemChannels(8)
                    .optFeatures(features).optNumClasses(5).build();
            net.initialize(m, DataType.FLOAT32, new Shape(2, 3, 32, 32));
            Map<String, float[]> initial = new LinkedHashMap<>();
            for (Pair<String, Parameter> p : net.getParameters()) {
                initial.put(p.getKey(), p.getValue().getArray().toFloatArray());
                if (p.getValue().requiresGradient()) {
                    p.getValue().getArray().setRequiresGradient(true);
                }
            }
            float[] image = new float[2 * 3 * 32 * 32];
            for (int i = 0; i < image.length; i++) {
                image[i] = (float) Math.sin(i * 0.37);
            }
            List<float[]> on = run(m, net, initial, image, true);
            List<float[]> off = run(m, net, initial, image, false);
            assertEquals(off.size(), on.size());
            for (int i = 0; i < off.size(); i++) {
                assertArrayEquals(off.get(i), on.get(i), 0f, engine + " " + norm + " array " + i);
            }
        }
    }

    /** Outputs, then every gradient, of one forward/backward from the initial weights. */
    private static List<float[]> run(NDManager m, ResNet net, Map<String, float[]> initial, float[] image,
            boolean scoped) {
        ForwardScope.setEnabled(scoped);
        for (Pair<String, Parameter> p : net.getParameters()) {
            p.getValue().getArray().set(java.nio.FloatBuffer.wrap(initial.get(p.getKey())));
        }
        List<float[]> out = new ArrayList<>();
        try (NDManager step = m.newSubManager()) {
            NDArray x = step.create(image, new Shape(2, 3, 32, 32));
            try (GradientCollector gc = m.getEngine().newGradientCollector()) {
                gc.zeroGradients();
                NDList y = net.forward(new ParameterStore(m, false), new NDList(x), true);
                NDArray loss = null;
                for (NDArray a : y) {
                    assertFalse(a.isReleased());
                    out.add(a.toFloatArray());
                    NDArray s = a.square().sum();
                    loss = loss == null ? s : loss.add(s);
                }
                assertTrue(((BaseNDManager) step).getManagedArrays().size() > 0);
                System.gc();
                gc.backward(loss);
            }
            for (Pair<String, Parameter> p : net.getParameters()) {
                if (p.getValue().requiresGradient()) {
                    out.add(p.getValue().getArray().getGradient().toFloatArray());
                }
            }
        }
        return out;
    }
}
