package ai.wsbcn.detection.predict;

import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import ai.wsbcn.detection.coco.CategoryMapping;
import ai.wsbcn.detection.coco.json.CocoAnnotation;
import ai.wsbcn.detection.coco.json.CocoCategory;
import ai.wsbcn.detection.coco.json.CocoDataset;
import ai.wsbcn.detection.coco.json.CocoImage;
import ai.wsbcn.detection.coco.json.CocoJsonWriter;
import ai.wsbcn.detection.coco.json.Segmentation;
import ai.wsbcn.detection.coco.mask.Rle;
import ai.wsbcn.detection.model.BlockShapes;
import ai.wsbcn.detection.model.DetectorConfig;
import ai.wsbcn.detection.model.ImageDetections;
import ai.wsbcn.detection.model.MaskRcnn;
import ai.wsbcn.detection.model.Postprocess;
import ai.wsbcn.detection.transforms.DetectionSample;
import ai.wsbcn.detection.transforms.ImageBatch;
import ai.wsbcn.detection.transforms.TargetInstances;
import ai.wsbcn.norm.train.TrainingCheckpoint;
import ai.wsbcn.pretrained.data.ImageFiles;
import ai.wsbcn.pretrained.data.RgbImage;
import ai.wsbcn.util.InvalidInputException;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;

/**
 * Loads a trained detector from its output folder ({@code model.json} + {@code checkpoint.bin}) and runs it on image
 * files: COCO results JSON (image ids = input order, category ids from the training set) and one PNG per image with
 * boxes, labels, scores and translucent masks.
 */
public final class DetectionPredictor {

    private final MaskRcnn model;
    private final CategoryMapping categories;
    private final NDManager manager;

    private DetectionPredictor(MaskRcnn model, CategoryMapping categories, NDManager manager) {
        this.model = model;
        this.categories = categories;
        this.manager = manager;
    }

    /** Fails unless {@code dir} has the files {@link #load} reads (a quick check before other work). */
    public static void checkFolder(Path dir) {
        for (String name : List.of("model.json", "checkpoint.bin")) {
            Path p = dir.resolve(name);
            if (!Files.isRegularFile(p)) {
                throw new InvalidInputException(p + ": not found (--checkpoint must be a training output folder)");
            }
        }
    }

    /** {@code dir} holds model.json, checkpoint.bin and categories.json (written by training). */
    public static DetectionPredictor load(Path dir, NDManager manager) throws IOException {
        checkFolder(dir);
        Path modelJson = dir.resolve("model.json");
        Path ckpt = dir.resolve("checkpoint.bin");
        DetectorConfig dc = DetectorConfig.fromJson(Files.readString(modelJson));
        MaskRcnn model = MaskRcnn.build(dc);
        int s = dc.minSizes()[0];
        int pad = (int) Math.ceil(s / 32.0) * 32;
        model.initialize(manager, pad, pad);
        BlockShapes.fillMissingInputShapes(model);
        // the optimizer state is read and discarded (prediction does not train)
        ai.wsbcn.norm.train.Sgd sgd = ai.wsbcn.norm.train.Sgd.builder()
                .setSchedule(ai.wsbcn.norm.train.LrSchedule.step(0.01f, 1, 0.1f)).build();
        TrainingCheckpoint.load(ckpt, model, sgd, manager);
        return new DetectionPredictor(model, categories(dir.resolve("categories.json"), dc.numClasses()), manager);
    }

    /** The training set's categories in label order, or ids 1..K named classK for a run that has no file. */
    private static CategoryMapping categories(Path file, int numClasses) throws IOException {
        List<CocoCategory> list = new ArrayList<>();
        if (!Files.isRegularFile(file)) {
            for (int i = 1; i <= numClasses; i++) {
                list.add(new CocoCategory(i, "class" + i, null));
            }
            return CategoryMapping.of(list);
        }
        try {
            JsonArray a = JsonParser.parseString(Files.readString(file)).getAsJsonArray();
            for (int i = 0; i < a.size(); i++) {
                JsonObject o = a.get(i).getAsJsonObject();
                list.add(new CocoCategory(o.get("id").getAsLong(), o.get("name").getAsString(), null));
            }
        } catch (RuntimeException e) {
            throw new InvalidInputException(file + ": expected [{\"id\": .., \"name\": ..}, ...] as training writes"
                    + " it: " + e.getMessage(), e);
        }
        if (list.size() != numClasses) {
            throw new InvalidInputException(file + ": " + list.size() + " categories, but the model has "
                    + numClasses);
        }
        return CategoryMapping.of(list);
    }

    public MaskRcnn model() {
        return model;
    }

    /** The training set's categories: label k of the model is category {@code categories().categoryId(k)}. */
    public CategoryMapping categories() {
        return categories;
    }

    public String name(int label) {
        return label >= 1 && label <= categories.size() ? categories.name(label) : "class" + label;
    }

    /** Detections of one image file (original pixels). */
    public ImageDetections predict(long imageId, RgbImage im) {
        ParameterStore ps = new ParameterStore(manager, false);
        DetectionSample s = new DetectionSample(imageId, im.rgb(), im.height(), im.width(),
                new TargetInstances(new float[0], new int[0], null, im.height(), im.width()));
        try (NDManager m = manager.newSubManager()) {
            ImageBatch b = model.transform().batch(m, List.of(s), null, null);
            return Postprocess.toOriginal(model.detect(ps, b), b).get(0);
        }
    }

    /** {@link #run(List, long[], CocoDataset, Path, float)} with image ids 1..N in the order given. */
    public List<ImageDetections> run(List<Path> images, Path out, float drawScore) throws IOException {
        return run(images, LongStream.rangeClosed(1, images.size()).toArray(), null, out, drawScore);
    }

    /**
     * Runs every image; writes {@code out/predictions.json} (COCO results with {@code imageIds}) and one drawn PNG per
     * image ({@link PredictInputs#overlayFiles}). With {@code groundTruth} (the file the ids come from), an image whose
     * size differs from its entry there is an error. Returns the detections.
     */
    public List<ImageDetections> run(List<Path> images, long[] imageIds, CocoDataset groundTruth, Path out,
            float drawScore) throws IOException {
        List<Path> overlays = PredictInputs.overlayFiles(images, out);
        Files.createDirectories(out);
        List<ImageDetections> all = new ArrayList<>();
        List<CocoAnnotation> json = new ArrayList<>();
        long annId = 1;
        for (int i = 0; i < images.size(); i++) {
            Path f = images.get(i);
            RgbImage im = ImageFiles.readRgb(f);
            long imageId = imageIds[i];
            if (groundTruth != null) {
                CocoImage entry = groundTruth.image(imageId).orElseThrow();
                if (entry.width() != im.width() || entry.height() != im.height()) {
                    throw new InvalidInputException(f + ": image is " + im.width() + "x" + im.height() + " but "
                            + groundTruth.source() + " says width " + entry.width() + ", height " + entry.height()
                            + " (image id " + imageId + ")");
                }
            }
            ImageDetections d = predict(imageId, im);
            all.add(d);
            for (int k = 0; k < d.size(); k++) {
                float[] b = d.boxes();
                double[] xywh = {b[4 * k], b[4 * k + 1], b[4 * k + 2] - b[4 * k], b[4 * k + 3] - b[4 * k + 1]};
                Segmentation seg = null;
                double area = xywh[2] * xywh[3];
                if (d.masks() != null) {
                    Rle r = Rle.encodeRowMajor(d.masks()[k], d.height(), d.width());
                    seg = new Segmentation.CompressedRle(r.height(), r.width(), r.toCompressedString());
                    area = r.area();
                }
                int label = d.labels()[k];
                json.add(CocoAnnotation.detection(annId++, imageId, categories.categoryId(label), xywh, area,
                        d.scores()[k], seg));
            }
            ImageFiles.writeBgr(overlays.get(i), DetectionOverlay.draw(im.rgb(), im.width(), im.height(), d,
                    this::name, drawScore, 0.45f), im.width(), im.height());
        }
        CocoJsonWriter.writeResults(json, out.resolve("predictions.json"));
        return all;
    }
}
