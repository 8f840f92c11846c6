package ai.wsbcn.pretrained.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import ai.wsbcn.norm.testing.TestEngines;
import ai.wsbcn.util.InvalidInputException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** ImageNet weights into a model's backbone sub-tree: the classifier is left out, the head keeps its weights. */
class BackboneLoadTest {

    /** A stand-in for a detector: a "backbone" (one Linear) and a "head". */
    static final class TwoPart extends AbstractBlock {
        final Linear backbone = addChildBlock("backbone", Linear.builder().setUnits(2).build());
        final Linear head = addChildBlock("head", Linear.builder().setUnits(1).build());

        @Override
        protected NDList forwardInternal(ParameterStore ps, NDList in, boolean training, PairList<String, Object> p) {
            return head.forward(ps, backbone.forward(ps, in, training), training);
        }

        @Override
        public Shape[] getOutputShapes(Shape[] inputShapes) {
            return head.getOutputShapes(backbone.getOutputShapes(inputShapes));
        }

        @Override
        protected void initializeChildBlocks(NDManager m, DataType t, Shape... inputShapes) {
            backbone.initialize(m, t, inputShapes);
            head.initialize(m, t, backbone.getOutputShapes(inputShapes));
        }
    }

    @Test
    void loadsTheBackboneAndLeavesOutTheClassifier(@TempDir Path dir) throws Exception {
        try (NDManager m = TestEngines.manager(TestEngines.names().findFirst().orElseThrow())) {
            TwoPart model = new TwoPart();
            model.initialize(m, DataType.FLOAT32, new Shape(1, 3));
            float[] headBefore = model.head.getParameters().get("weight").getArray().toFloatArray();
            Map<String, TensorData> sd = new LinkedHashMap<>();
            sd.put("weight", TensorData.fromNDArray(m.create(new float[] {1, 2, 3, 4, 5, 6}, new Shape(2, 3))));
            sd.put("bias", TensorData.fromNDArray(m.create(new float[] {7, 8})));
            sd.put("fc.weight", TensorData.fromNDArray(m.create(new float[] {9, 9}, new Shape(1, 2))));
            sd.put("bn.num_batches_tracked", TensorData.fromNDArray(m.create(new long[] {5})));
            Path file = dir.resolve("imagenet.npz");
            Npz.write(file, sd);
            LoadReport r = StateDicts.loadBackbone(model, file, "backbone.");
            assertEquals(2, r.loaded());
            assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6},
                    model.backbone.getParameters().get("weight").getArray().toFloatArray());
            assertArrayEquals(new float[] {7, 8}, model.backbone.getParameters().get("bias").getArray().toFloatArray());
            assertArrayEquals(headBefore, model.head.getParameters().get("weight").getArray().toFloatArray());
        }
    }

    @Test
    void aFileThatDoesNotFitIsNamed(@TempDir Path dir) throws Exception {
        try (NDManager m = TestEngines.manager(TestEngines.names().findFirst().orElseThrow())) {
            TwoPart model = new TwoPart();
            model.initialize(m, DataType.FLOAT32, new Shape(1, 3));
            Path other = dir.resolve("other.npz");
            Npz.write(other, Map.of("layer9.weight", TensorData.fromNDArray(m.ones(new Shape(4)))));
            InvalidInputException none = assertThrows(InvalidInputException.class,
                    () -> StateDicts.loadBackbone(model, other, "backbone."));
            assertTrue(none.getMessage().startsWith(other + ": no tensor fits the backbone"), none.getMessage());
            Path wrong = dir.resolve("wrong.npz");
            Npz.write(wrong, Map.of("weight", TensorData.fromNDArray(m.ones(new Shape(2, 3))),
                    "bias", TensorData.fromNDArray(m.ones(new Shape(5)))));
            InvalidInputException shape = assertThrows(InvalidInputException.class,
                    () -> StateDicts.loadBackbone(model, wrong, "backbone."));
            assertTrue(shape.getMessage().startsWith(wrong + ": does not fit the backbone")
                    && shape.getMessage().contains("backbone.bias"), shape.getMessage());
        }
    }
}
