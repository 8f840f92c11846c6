package ai.wsbcn.pretrained.data;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.dataset.RandomAccessDataset;
import ai.djl.training.dataset.Record;
import ai.djl.util.Progress;
import ai.wsbcn.util.InvalidInputException;

import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.imgproc.Imgproc;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * An ImageNet-style folder of images, one sub-folder per class ({@code train/<class>/*.jpg}), as torchvision's
 * {@code ImageFolder}: classes are the sorted sub-folder names (label = position), images are found recursively,
 * through symbolic links, in torchvision's order, extensions {@code .jpg .jpeg .png .ppm .bmp .pgm .tif .tiff .webp}
 * (any case); see {@link ImageFolderListing}.
 *
 * <p>Each record is an RGB image {@code (3, S, S)} float32, normalised per channel, and its label as a float32 scalar.
 * Decoding uses OpenCV. Random augmentation draws from a generator seeded by {@code (seed, epoch, index)}, so a sample
 * is the same whatever the thread or order it is read in, and a resumed run sees the same crops: call
 * {@link #setEpoch} at the start of each epoch (the one mutable setting).
 */
public final class ImageFolderDataset extends RandomAccessDataset {

    private final Path folder;
    private final List<String> classes;
    private final List<Path> files;
    private final int[] labels;
    private final ImageTransform transform;
    private final Normalization normalization;
    private final long seed;
    private volatile int epoch;

    private ImageFolderDataset(Builder builder) {
        super(builder);
        OpenCv.load();
        this.folder = builder.folder;
        this.transform = builder.transform;
        this.normalization = builder.normalization;
        this.seed = builder.seed;
        boolean ownClasses = builder.classes == null;
        this.classes = ownClasses ? ImageFolderListing.classes(folder) : List.copyOf(builder.classes);
        if (!ownClasses) {
            // an evaluation split may lack training classes, but its images of another class would be dropped
            for (String name : ImageFolderListing.classes(folder)) {
                if (!classes.contains(name)) {
                    throw new InvalidInputException(folder.resolve(name) + ": class '" + name + "' is not one of the"
                            + " " + classes.size() + " training classes, so its images cannot be evaluated");
                }
            }
        }
        this.files = new ArrayList<>();
        List<Integer> labelList = new ArrayList<>();
        for (int c = 0; c < classes.size(); c++) {
            Path dir = folder.resolve(classes.get(c));
            if (!Files.isDirectory(dir)) {
                continue; // an evaluation split may lack some of the training classes
            }
            List<Path> images = ImageFolderListing.images(dir);
            if (images.isEmpty() && ownClasses) {
                // torchvision's ImageFolder refuses this too: the class would have an output but no example
                throw new InvalidInputException(dir + ": no images (" + String.join(" ", ImageFolderListing.EXTENSIONS) + ") in this"
                        + " class folder");
            }
            for (Path file : images) {
                files.add(file);
                labelList.add(c);
            }
        }
        if (files.isEmpty()) {
            throw new InvalidInputException(folder + ": no images (" + String.join(" ", ImageFolderListing.EXTENSIONS)
                    + ") in the class folders " + classes);
        }
        this.labels = labelList.stream().mapToInt(Integer::intValue).toArray();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The class names; a label is an index into this list. */
    public List<String> classes() {
        return classes;
    }

    /**
     * When a limit ({@code optLimit}, {@code --limit-train}) keeps only the first samples and so drops whole classes
     * (the listing goes class by class), a sentence saying so; empty otherwise. Such a subset trains on a few classes
     * while the model still has an output for every class.
     */
    public Optional<String> classesLeftOutByLimit() {
        int kept = Math.toIntExact(size());
        if (kept == files.size()) {
            return Optional.empty();
        }
        int covered = (int) Arrays.stream(labels, 0, kept).distinct().count();
        if (covered == classes.size()) {
            return Optional.empty();
        }
        return Optional.of(String.format(Locale.ROOT, "%s: the first %d of %d images (the limit) hold only %d of the"
                + " %d classes, from '%s' to '%s' in folder order; the other classes are never trained on", folder,
                kept, files.size(), covered, classes.size(), classes.get(labels[0]), classes.get(labels[kept - 1])));
    }

    public Path file(int index) {
        return files.get(index);
    }

    public int label(int index) {
        return labels[index];
    }

    /** The shape of one record's image, {@code (3, S, S)}. */
    public Shape imageShape() {
        return new Shape(3, transform.outputSize(), transform.outputSize());
    }

    /** Selects the augmentation draws of epoch {@code epoch} (0-based) for subsequent {@link #get} calls. */
    public void setEpoch(int epoch) {
        this.epoch = epoch;
    }

    public int getEpoch() {
        return epoch;
    }

    @Override
    public Record get(NDManager manager, long index) {
        int i = Math.toIntExact(index);
        float[] chw = sample(i, epoch);
        return new Record(new NDList(manager.create(chw, imageShape())), new NDList(manager.create((float) labels[i])));
    }

    /** Image {@code index} as it is seen in epoch {@code epoch}: CHW floats, normalised. */
    public float[] sample(int index, int epoch) {
        Path file = files.get(index);
        Mat bgr = ImageFiles.readBgrAsStored(file);
        if (bgr.empty()) {
            throw new InvalidInputException(file + ": cannot decode image (sample " + index + " of " + folder + ")");
        }
        TruncatedJpegs.warnIfTruncated(file);
        Mat rgb = new Mat();
        Imgproc.cvtColor(bgr, rgb, Imgproc.COLOR_BGR2RGB);
        bgr.release();
        Mat out = transform.apply(rgb, new SplittableRandom(sampleSeed(seed, epoch, index)));
        rgb.release();
        try {
            return toChw(out);
        } finally {
            out.release();
        }
    }

    private float[] toChw(Mat rgb) {
        if (rgb.type() != CvType.CV_8UC3 || !rgb.isContinuous()) {
            throw new IllegalStateException("expected a continuous 8-bit RGB image, got type " + rgb.type());
        }
        int pixels = rgb.rows() * rgb.cols();
        byte[] hwc = new byte[pixels * 3];
        rgb.get(0, 0, hwc);
        float[] chw = new float[pixels * 3];
        for (int c = 0; c < 3; c++) {
            float[] table = normalization.lookupTable(c);
            int base = c * pixels;
            for (int p = 0; p < pixels; p++) {
                chw[base + p] = table[hwc[p * 3 + c] & 0xff];
            }
        }
        return chw;
    }

    /** A well-mixed seed for one sample's draws (SplitMix64's finaliser over the three inputs). */
    static long sampleSeed(long seed, int epoch, int index) {
        return ai.wsbcn.util.Seeds.sampleSeed(seed, epoch, index);
    }

    @Override
    protected long availableSize() {
        return files.size();
    }

    @Override
    public void prepare(Progress progress) {
        // the file list is built eagerly in the constructor; nothing to download or unpack
    }

    /** Builder: {@code setFolder} required; training augmentation of size 224 and ImageNet statistics by default. */
    public static final class Builder extends BaseBuilder<Builder> {

        private Path folder;
        private List<String> classes;
        private ImageTransform transform = ImageTransform.train(224);
        private Normalization normalization = Normalization.IMAGENET;
        private long seed;

        @Override
        protected Builder self() {
            return this;
        }

        /** The folder holding one sub-folder per class (e.g. {@code imagenet/train}). */
        public Builder setFolder(Path folder) {
            this.folder = folder;
            return this;
        }

        /** Fixes the class list (e.g. the training split's for a validation split); default: the sub-folders. */
        public Builder optClasses(List<String> classes) {
            this.classes = classes;
            return this;
        }

        /** {@link ImageTransform#train} (the default) or {@link ImageTransform#eval}. */
        public Builder optTransform(ImageTransform transform) {
            this.transform = transform;
            return this;
        }

        public Builder optNormalization(Normalization normalization) {
            if (normalization.channels() != 3) {
                throw new IllegalArgumentException("RGB images need a 3-channel normalisation, got " + normalization);
            }
            this.normalization = normalization;
            return this;
        }

        /** The seed of the augmentation draws. */
        public Builder optSeed(long seed) {
            this.seed = seed;
            return this;
        }

        public ImageFolderDataset build() {
            if (folder == null) {
                throw new IllegalArgumentException("setFolder is required");
            }
            return new ImageFolderDataset(this);
        }
    }
}
