package ai.wsbcn.detection.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import ai.wsbcn.detection.model.neck.FeaturePyramidNetwork;
import ai.wsbcn.util.ForwardScope;
import ai.wsbcn.pretrained.backbone.ResNet;

/**
 * torchvision's {@code BackboneWithFPN}: the ResNet feature extractor ({@code body}, C2..C5) followed by the
 * {@link FeaturePyramidNetwork} ({@code fpn}, P2..P6). Input (N, 3, H, W) with H, W multiples of 32.
 */
public final class BackboneWithFpn extends AbstractBlock {

    private static final byte VERSION = 1;

    private final ResNet body;
    private final FeaturePyramidNetwork fpn;

    public BackboneWithFpn(ResNet body, FeaturePyramidNetwork fpn) {
        super(VERSION);
        this.body = addChildBlock("body", body);
        this.fpn = addChildBlock("fpn", fpn);
    }

    public ResNet body() {
        return body;
    }

    public FeaturePyramidNetwork fpn() {
        return fpn;
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
            PairList<String, Object> params) {
        NDList c = body.forward(ps, inputs, training);
        NDList p = fpn.forward(ps, c, training);
        // C2..C5 are not returned: only autograd may still need them (ForwardScope)
        for (NDArray a : c) {
            if (p.stream().noneMatch(x -> x == a)) {
                ForwardScope.closeIfOwned(a);
            }
        }
        return p;
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return fpn.getOutputShapes(body.getOutputShapes(inputShapes));
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        body.initialize(manager, dataType, inputShapes);
        fpn.initialize(manager, dataType, body.getOutputShapes(inputShapes));
    }
}
