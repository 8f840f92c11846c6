package ai.wsbcn.segmentation.data;

import ai.wsbcn.util.InvalidInputException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A split of a PASCAL VOC 2012 style segmentation set, resolved to files and checked when built, so a training run
 * fails at once (naming the list file and line) rather than hours later.
 *
 * <p>Layout under {@code root} (the {@code VOC2012} folder; a {@code VOCdevkit} folder holding {@code VOC2012}, or
 * torchvision's root holding {@code VOCdevkit/VOC2012}, is accepted too): {@code JPEGImages/<id>.jpg},
 * {@code SegmentationClass/<id>.png} (palette PNGs, 255 = ignore) and {@code ImageSets/Segmentation/<split>.txt},
 * one id per line. The SBD-augmented set ({@code split = train_aug}) uses {@code SegmentationClassAug/<id>.png} and
 * the list {@code ImageSets/Segmentation/train_aug.txt} (also looked for as
 * {@code ImageSets/SegmentationAug/train_aug.txt} and {@code train_aug.txt} in the root). A list line may also
 * hold two paths relative to the root, {@code /JPEGImages/x.jpg /SegmentationClassAug/x.png}, as DeepLab's lists do
 * (see {@link VocList}). An id whose {@code .jpg} is absent may have a {@code .jpeg} or {@code .png} image instead.
 */
public final class VocDataset {

    private static final List<String> IMAGE_FALLBACKS = List.of(".jpeg", ".png");

    private final Path root;
    private final String split;
    private final Path listFile;
    private final List<VocSample> samples;

    private VocDataset(Builder b) {
        this.root = resolveRoot(b.root);
        this.split = b.split;
        String labelDir = b.labelDir != null ? b.labelDir
                : split.contains("aug") ? "SegmentationClassAug" : "SegmentationClass";
        this.listFile = findList(root, split);
        this.samples = List.copyOf(readList(listFile, root, labelDir, b.requireLabels));
    }

    public static Builder builder() {
        return new Builder();
    }

    public Path root() {
        return root;
    }

    public String split() {
        return split;
    }

    public Path listFile() {
        return listFile;
    }

    public List<VocSample> samples() {
        return samples;
    }

    public int size() {
        return samples.size();
    }

    private static Path resolveRoot(Path root) {
        if (root == null) {
            throw new InvalidInputException("VOC data root is not set");
        }
        if (!Files.isDirectory(root)) {
            throw new InvalidInputException(root + ": VOC data root not found (expected the VOC2012 folder)");
        }
        // the VOC2012 folder itself, the VOCdevkit folder holding it, or torchvision's root that holds VOCdevkit
        for (Path candidate : List.of(root, root.resolve("VOC2012"), root.resolve("VOCdevkit").resolve("VOC2012"))) {
            if (Files.isDirectory(candidate.resolve("JPEGImages"))) {
                return candidate;
            }
        }
        throw new InvalidInputException(root + ": not a VOC 2012 folder (no JPEGImages/ inside, nor in VOC2012/ or"
                + " VOCdevkit/VOC2012/)");
    }

    private static Path findList(Path root, String split) {
        List<Path> candidates = new ArrayList<>();
        candidates.add(root.resolve("ImageSets").resolve("Segmentation").resolve(split + ".txt"));
        candidates.add(root.resolve("ImageSets").resolve("SegmentationAug").resolve(split + ".txt"));
        candidates.add(root.resolve(split + ".txt"));
        for (Path p : candidates) {
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        throw new InvalidInputException("split '" + split + "': no list file; looked for " + candidates.get(0)
                + " (also " + candidates.get(1).getFileName() + " under ImageSets/SegmentationAug and in the root)");
    }

    private static List<VocSample> readList(Path list, Path root, String labelDir, boolean requireLabels) {
        List<VocSample> out = new ArrayList<>();
        for (VocList.Entry e : VocList.read(list)) {
            Path image;
            Path label;
            if (e.image() == null) {
                image = imageOf(root.resolve("JPEGImages"), e.id());
                label = root.resolve(labelDir).resolve(e.id() + ".png");
            } else {
                image = root.resolve(e.image());
                label = root.resolve(e.label());
            }
            if (!Files.isRegularFile(image)) {
                throw new InvalidInputException(list + ":" + e.line() + ": image of '" + e.id() + "' not found: "
                        + image);
            }
            if (requireLabels && !Files.isRegularFile(label)) {
                throw new InvalidInputException(list + ":" + e.line() + ": label of '" + e.id() + "' not found: "
                        + label);
            }
            out.add(new VocSample(e.id(), image, label));
        }
        return out;
    }

    /** {@code <id>.jpg}, as VOC has it, else a {@code .jpeg} or {@code .png} of that id (sets converted losslessly). */
    private static Path imageOf(Path imageDir, String id) {
        Path jpg = imageDir.resolve(id + ".jpg");
        if (Files.isRegularFile(jpg)) {
            return jpg;
        }
        for (String ext : IMAGE_FALLBACKS) {
            Path p = imageDir.resolve(id + ext);
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        return jpg;
    }

    /** Builder: {@code setRoot} and {@code setSplit} are required. */
    public static final class Builder {
        private Path root;
        private String split;
        private String labelDir;
        private boolean requireLabels = true;

        public Builder setRoot(Path root) {
            this.root = root;
            return this;
        }

        /** {@code train}, {@code val}, {@code train_aug}, ... (the list file's stem). */
        public Builder setSplit(String split) {
            this.split = split;
            return this;
        }

        /** The label folder under the root (default {@code SegmentationClassAug} for splits named *aug*). */
        public Builder optLabelDir(String labelDir) {
            this.labelDir = labelDir;
            return this;
        }

        /** Whether every label file must exist (default true; false for predicting on a test split). */
        public Builder optRequireLabels(boolean requireLabels) {
            this.requireLabels = requireLabels;
            return this;
        }

        public VocDataset build() {
            if (split == null || split.isBlank()) {
                throw new InvalidInputException("VOC split is not set (e.g. train_aug or val)");
            }
            return new VocDataset(this);
        }
    }
}
