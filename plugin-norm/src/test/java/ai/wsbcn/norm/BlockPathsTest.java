package ai.wsbcn.norm;

import ai.djl.ndarray.NDList;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.ParallelBlock;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class BlockPathsTest {

    @Test
    void sequentialChildrenAreNamedByIndexLikeTorch() {
        SequentialBlock inner = new SequentialBlock()
                .add(Conv2d.builder().setKernelShape(new Shape(1, 1)).setFilters(4).optBias(false).build());
        SequentialBlock root = new SequentialBlock()
                .add(Conv2d.builder().setKernelShape(new Shape(3, 3)).setFilters(4).build())
                .add(inner)
                .add(Linear.builder().setUnits(2).build());
        assertEquals(List.of("0.weight", "0.bias", "1.0.weight", "2.weight", "2.bias"),
                List.copyOf(BlockPaths.parameters(root).keySet()));
        assertEquals(List.of("", "0", "1", "1.0", "2"), List.copyOf(BlockPaths.blocks(root).keySet()));
    }

    @Test
    void djlPositionPrefixIsDropped() {
        Block conv = Conv2d.builder().setKernelShape(new Shape(1, 1)).setFilters(1).build();
        assertEquals("conv1", BlockPaths.childName(conv, 0, "01conv1"));
        assertEquals("10", BlockPaths.childName(conv, 2, "0310"));
    }

    /** DJL names both branches of a ParallelBlock after their class; each still gets a name of its own. */
    @Test
    void parallelBranchesAndCollidingNamesGetIndices() {
        ParallelBlock branches = new ParallelBlock(list -> list.get(0), List.of(
                new SequentialBlock().add(Conv2d.builder().setKernelShape(new Shape(1, 1)).setFilters(2).build()),
                new SequentialBlock().add(Conv2d.builder().setKernelShape(new Shape(3, 3)).setFilters(2).build())));
        SequentialBlock root = new SequentialBlock().add(branches);
        assertEquals(List.of("0.0.0.weight", "0.0.0.bias", "0.1.0.weight", "0.1.0.bias"),
                List.copyOf(BlockPaths.parameters(root).keySet()));
        // a block of our own whose author gave two children the same name
        AbstractBlock twins = new AbstractBlock() {
            {
                addChildBlock("conv", Conv2d.builder().setKernelShape(new Shape(1, 1)).setFilters(1).build());
                addChildBlock("conv", Conv2d.builder().setKernelShape(new Shape(1, 1)).setFilters(1).build());
                addChildBlock("head", Linear.builder().setUnits(1).build());
            }

            @Override
            protected NDList forwardInternal(ParameterStore ps, NDList in, boolean training,
                    PairList<String, Object> params) {
                return in;
            }

            @Override
            public Shape[] getOutputShapes(Shape[] inputShapes) {
                return inputShapes;
            }
        };
        assertEquals(List.of("0.weight", "0.bias", "1.weight", "1.bias", "head.weight", "head.bias"),
                List.copyOf(BlockPaths.parameters(twins).keySet()));
    }
}
