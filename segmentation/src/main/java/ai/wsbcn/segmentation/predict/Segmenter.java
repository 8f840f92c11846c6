package ai.wsbcn.segmentation.predict;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.wsbcn.segmentation.data.LabelMap;
import ai.wsbcn.pretrained.data.RgbImage;
import ai.wsbcn.segmentation.transforms.ImageNormalizer;

import java.util.Objects;

/**
 * Inference on whole images, as DeepLabV3 is evaluated: one forward in inference mode at the image's own size (no
 * multi-scale, no flip), logits upsampled to the image, arg-max per pixel. {@code manager} must be the manager the
 * model's parameters live in (temporaries that layers attach there are freed after each image).
 *
 * <p>The label map has the image's own size and pixel grid; its values are class indices {@code 0..numClasses-1}
 * (the training set's indices, VOC's 0 = background). Not for concurrent use: each call frees the temporaries that
 * forwards left in {@code manager}, those of another thread's call on the same model included.
 */
public final class Segmenter {

    private final Block model;
    private final NDManager manager;
    private final ImageNormalizer normalizer;

    public Segmenter(Block model, NDManager manager, ImageNormalizer normalizer) {
        this.model = model;
        this.manager = manager;
        this.normalizer = normalizer;
    }

    public LabelMap segment(RgbImage image) {
        Objects.requireNonNull(image, "image");
        if (!model.isInitialized()) {
            throw new IllegalStateException("the model is not initialised: initialize it (or load it with"
                    + " TrainedModel.load) before segmenting");
        }
        try (NDManager sub = manager.newSubManager()) {
            NDArray x = sub.create(normalizer.toChw(image), new Shape(1, 3, image.height(), image.width()));
            NDArray logits = model.forward(new ParameterStore(sub, false), new NDList(x), false).singletonOrThrow();
            NDArray arg = logits.argMax(1).toType(DataType.INT32, false);
            int[] idx = arg.toIntArray();
            byte[] labels = new byte[idx.length];
            for (int i = 0; i < idx.length; i++) {
                labels[i] = (byte) idx[i];
            }
            return new LabelMap(image.width(), image.height(), labels);
        }
    }
}
