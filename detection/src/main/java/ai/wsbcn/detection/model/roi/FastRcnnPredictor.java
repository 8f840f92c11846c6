package ai.wsbcn.detection.model.roi;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.util.PairList;
import ai.wsbcn.detection.model.neck.ConvNormBlocks;

/**
 * torchvision's {@code FastRCNNPredictor}: class logits {@code cls_score} (K+1, background 0) and class-specific box
 * deltas {@code bbox_pred} (4(K+1)), initialised N(0, 0.01) and N(0, 0.001) with zero biases (Detectron's init).
 * Input (R, D); output [logits (R, K+1), deltas (R, 4(K+1))].
 */
public final class FastRcnnPredictor extends AbstractBlock {

    private static final byte VERSION = 1;

    private final int classesWithBackground;
    private final Block clsScore;
    private final Block bboxPred;

    public FastRcnnPredictor(int classesWithBackground) {
        super(VERSION);
        this.classesWithBackground = classesWithBackground;
        Linear cls = Linear.builder().setUnits(classesWithBackground).build();
        ConvNormBlocks.setInit(cls, new NormalInitializer(0.01f));
        Linear box = Linear.builder().setUnits(4L * classesWithBackground).build();
        ConvNormBlocks.setInit(box, new NormalInitializer(0.001f));
        this.clsScore = addChildBlock("cls_score", cls);
        this.bboxPred = addChildBlock("bbox_pred", box);
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
            PairList<String, Object> params) {
        return new NDList(clsScore.forward(ps, inputs, training).singletonOrThrow(),
                bboxPred.forward(ps, inputs, training).singletonOrThrow());
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        long r = inputShapes[0].get(0);
        return new Shape[] {new Shape(r, classesWithBackground), new Shape(r, 4L * classesWithBackground)};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        clsScore.initialize(manager, dataType, inputShapes);
        bboxPred.initialize(manager, dataType, inputShapes);
    }
}
