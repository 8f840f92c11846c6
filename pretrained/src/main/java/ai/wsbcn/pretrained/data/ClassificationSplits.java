package ai.wsbcn.pretrained.data;

import ai.djl.ndarray.NDManager;
import ai.wsbcn.util.InvalidInputException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The train and test splits of one classification data set on disk, opened as {@link ClassificationSource}s: IDX files
 * (MNIST, Fashion-MNIST; held in memory) or an ImageNet-style folder with {@code train/} and {@code val/} (or
 * {@code test/}) sub-folders of class folders, augmented for training as torchvision's ImageNet recipe (random resized
 * crop S, horizontal flip) and resized and centre-cropped for testing (short side R, crop S).
 */
public abstract class ClassificationSplits {

    private static final Logger LOG = LoggerFactory.getLogger(ClassificationSplits.class);

    private ClassificationSplits() {}

    /** Opens one split; the caller closes it (arrays of an in-memory split live in a sub-manager of {@code manager}). */
    public abstract ClassificationSource open(NDManager manager, Split split);

    /** MNIST-style IDX files in {@code dir}, normalised with {@code norm}, each split cut to its limit. */
    public static ClassificationSplits idx(Path dir, Normalization norm, int limitTrain, int limitTest) {
        return new ClassificationSplits() {
            @Override
            public ClassificationSource open(NDManager manager, Split split) {
                return MnistDatasets.load(manager, dir, split, norm, split == Split.TRAIN ? limitTrain : limitTest);
            }
        };
    }

    /**
     * {@code root/train/<class>/*} and {@code root/val/<class>/*} (or {@code root/test}); the test split uses the
     * training split's class list, so labels agree even when a class has no test images.
     *
     * @param size the training and test crop side S
     * @param resize the test short side R before the crop; 0 for {@code round(S * 256 / 224)}
     */
    public static ClassificationSplits imageFolder(Path root, int size, int resize, long seed, int limitTrain,
            int limitTest) {
        Path train = root.resolve("train");
        if (!Files.isDirectory(train)) {
            throw new InvalidInputException(root + ": no train/ folder (expected " + root
                    + "/train/<class>/<image> and " + root + "/val/<class>/<image>)");
        }
        Path test = Files.isDirectory(root.resolve("val")) ? root.resolve("val") : root.resolve("test");
        if (!Files.isDirectory(test)) {
            throw new InvalidInputException(root + ": no val/ (or test/) folder next to train/ to evaluate on");
        }
        int evalResize = resize > 0 ? resize : Math.round(size * 256f / 224f);
        if (evalResize < size) {
            throw new InvalidInputException("--resize " + evalResize + " is smaller than --image-size " + size);
        }
        ImageFolderDataset trainSet = ImageFolderDataset.builder().setFolder(train)
                .optTransform(ImageTransform.train(size)).optSeed(seed).setSampling(1, false).optLimit(limitTrain)
                .build();
        trainSet.classesLeftOutByLimit().ifPresent(LOG::warn);
        return new ClassificationSplits() {
            @Override
            public ClassificationSource open(NDManager manager, Split split) {
                if (split == Split.TRAIN) {
                    return new ImageFolderClassificationSet(trainSet);
                }
                return new ImageFolderClassificationSet(ImageFolderDataset.builder().setFolder(test)
                        .optClasses(trainSet.classes()).optTransform(ImageTransform.eval(evalResize, size))
                        .setSampling(1, false).optLimit(limitTest).build());
            }
        };
    }
}
