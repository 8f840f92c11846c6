package ai.wsbcn.detection.eval;

import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import ai.wsbcn.detection.coco.CategoryMapping;
import ai.wsbcn.detection.coco.eval.CocoEvalResult;
import ai.wsbcn.detection.coco.eval.CocoEvaluator;
import ai.wsbcn.detection.coco.eval.IouType;
import ai.wsbcn.detection.coco.json.CocoDataset;
import ai.wsbcn.detection.coco.json.CocoJsonWriter;
import ai.wsbcn.detection.coco.json.CocoResults;
import ai.wsbcn.detection.coco.mask.Rle;
import ai.wsbcn.detection.data.CocoSamples;
import ai.wsbcn.detection.model.ImageDetections;
import ai.wsbcn.detection.model.MaskRcnn;
import ai.wsbcn.detection.model.Postprocess;
import ai.wsbcn.detection.transforms.DetectionSample;
import ai.wsbcn.detection.transforms.DetectionTransform;
import ai.wsbcn.detection.transforms.ImageBatch;
import ai.wsbcn.report.ProgressBar;
import ai.wsbcn.util.InvalidInputException;

import com.google.gson.stream.JsonWriter;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.StringWriter;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * COCO evaluation of a detector: {@link MaskRcnn#detect} -> {@link Postprocess} (original pixels, pasted masks) ->
 * {@link CocoResults} (boxes as [x,y,w,h], masks as compressed RLE) -> {@link CocoEvaluator} for bbox and, with
 * masks, segm. The results JSON is written so pycocotools can re-check the numbers.
 */
public final class DetectionEvaluator {

    private static final Logger LOG = LoggerFactory.getLogger(DetectionEvaluator.class);

    private DetectionEvaluator() {}

    /** bbox and (null for Faster R-CNN) segm summaries, plus the number of detections and images. */
    public record Result(CocoEvalResult bbox, CocoEvalResult segm, int detections, int images, double seconds) {

        public double boxAp() {
            return bbox.stat("AP");
        }

        public double boxAp50() {
            return bbox.stat("AP50");
        }

        public double maskAp() {
            return segm == null ? Double.NaN : segm.stat("AP");
        }

        /**
         * The figures as JSON, {@code {"images", "detections", "bbox": {...}, "segm": {...}}}, each of bbox and segm
         * the object {@code wsbcn eval coco --json} writes for that iou type (segm absent for a box-only model).
         */
        public String jsonText() throws IOException {
            StringWriter text = new StringWriter();
            JsonWriter w = new JsonWriter(text);
            w.setIndent("  ");
            w.beginObject().name("images").value(images).name("detections").value(detections);
            w.name("bbox");
            bbox.write(w, false);
            if (segm != null) {
                w.name("segm");
                segm.write(w, false);
            }
            w.endObject();
            w.flush();
            return text.toString();
        }
    }

    /** Runs the model over every sample of {@code data} (or the first {@code limit} > 0). */
    public static List<ImageDetections> detectAll(MaskRcnn model, NDManager manager, CocoSamples data, int limit,
            PrintStream progress) {
        ParameterStore ps = new ParameterStore(manager, false);
        DetectionTransform transform = model.transform();
        int n = limit > 0 ? Math.min(limit, data.size()) : data.size();
        List<ImageDetections> out = new ArrayList<>(n);
        // the progress line of every command (ProgressBar)
        ProgressBar bar = progress == null ? null
                : new ProgressBar("eval", n, progress, System.console() != null, Math.max(1, n / 20));
        for (int i = 0; i < n; i++) {
            DetectionSample s = data.get(i);
            try (NDManager m = manager.newSubManager()) {
                ImageBatch b = transform.batch(m, List.of(s), null, null);
                out.addAll(Postprocess.toOriginal(model.detect(ps, b), b));
            }
            if (bar != null) {
                bar.update(i + 1);
            }
        }
        if (bar != null) {
            bar.finish();
        }
        return out;
    }

    /** Detections as a COCO results list against {@code groundTruth} (labels mapped back to category ids). */
    public static CocoResults toResults(List<ImageDetections> detections, CocoDataset groundTruth,
            CategoryMapping categories, String source) {
        CocoResults.Builder b = CocoResults.builder(groundTruth, source);
        for (ImageDetections d : detections) {
            for (int k = 0; k < d.size(); k++) {
                float[] bx = d.boxes();
                double[] xywh = {bx[4 * k], bx[4 * k + 1], bx[4 * k + 2] - bx[4 * k], bx[4 * k + 3] - bx[4 * k + 1]};
                Rle mask = d.masks() == null ? null : Rle.encodeRowMajor(d.masks()[k], d.height(), d.width());
                b.add(d.imageId(), categories.categoryId(d.labels()[k]), xywh, d.scores()[k], mask);
            }
        }
        return b.build();
    }

    /** Writes {@code resultsJson} and evaluates bbox (+ segm when {@code masks}). */
    public static Result evaluate(List<ImageDetections> detections, CocoDataset groundTruth,
            CategoryMapping categories, boolean masks, Path resultsJson) throws IOException {
        long t0 = System.nanoTime();
        CocoResults results = toResults(detections, groundTruth, categories,
                resultsJson == null ? "detections" : resultsJson.toString());
        if (resultsJson != null) {
            CocoJsonWriter.writeResults(results.detections(), resultsJson);
        }
        long[] ids = detections.stream().mapToLong(ImageDetections::imageId).toArray();
        CocoEvalResult bbox = CocoEvaluator.builder().setGroundTruth(groundTruth).setResults(results)
                .setIouType(IouType.BBOX).optImageIds(ids).build().run();
        CocoEvalResult segm = null;
        if (masks) {
            segm = CocoEvaluator.builder().setGroundTruth(groundTruth).setResults(results)
                    .setIouType(IouType.SEGM).optImageIds(ids).build().run();
        }
        int total = detections.stream().mapToInt(ImageDetections::size).sum();
        return new Result(bbox, segm, total, detections.size(), (System.nanoTime() - t0) / 1e9);
    }

    /**
     * detect + evaluate in one call. {@code trained} maps the model's labels to category ids: the training set's
     * mapping (from {@code categories.json}), not {@code data}'s, which differs as soon as the evaluation file lists
     * other categories (see {@link #checkCategories}).
     */
    public static Result run(MaskRcnn model, NDManager manager, CocoSamples data, CategoryMapping trained, int limit,
            Path resultsJson, PrintStream progress) throws IOException {
        List<ImageDetections> dets = detectAll(model, manager, data, limit, progress);
        return evaluate(dets, data.coco().dataset(), trained, model.config().masks(), resultsJson);
    }

    /**
     * The checks to make before a model runs over {@code data} (the first {@code limit} > 0 images): its categories
     * against the model's ({@link #checkCategories}) and, for mask evaluation, a usable mask for every ground truth.
     */
    public static void checkBeforeRun(CategoryMapping trained, CocoSamples data, boolean masks, int limit) {
        CocoDataset gt = data.coco().dataset();
        checkCategories(trained, gt);
        if (masks) {
            int n = limit > 0 ? Math.min(limit, data.size()) : data.size();
            long[] ids = new long[n];
            for (int i = 0; i < n; i++) {
                ids[i] = data.coco().image(i).id();
            }
            CocoEvaluator.requireMasks(gt, ids);
        }
    }

    /**
     * Warns about categories that the model and the ground truth do not share, since they change what AP means:
     * detections of a category the ground truth lacks are never evaluated (as in pycocotools), a ground-truth
     * category the model never learned scores AP 0, and a shared id with another name is probably another labelling.
     * No shared id at all is an error: nothing could be matched.
     */
    public static void checkCategories(CategoryMapping trained, CocoDataset groundTruth) {
        List<String> unknownToGt = new ArrayList<>();
        List<String> renamed = new ArrayList<>();
        for (int label = 1; label <= trained.size(); label++) {
            long id = trained.categoryId(label);
            String name = trained.name(label);
            var gt = groundTruth.category(id);
            if (gt.isEmpty()) {
                unknownToGt.add(id + " (" + name + ")");
            } else if (!name.isEmpty() && !gt.get().name().isEmpty() && !name.equals(gt.get().name())) {
                renamed.add(id + " ('" + name + "' in training, '" + gt.get().name() + "' here)");
            }
        }
        List<String> untrained = new ArrayList<>();
        for (long id : groundTruth.sortedCategoryIds()) {
            if (!trained.contains(id)) {
                untrained.add(id + " (" + groundTruth.category(id).orElseThrow().name() + ")");
            }
        }
        String source = groundTruth.source();
        if (unknownToGt.size() == trained.size()) {
            throw new InvalidInputException(source + ": categories: no category id of the training set ("
                    + String.join(", ", unknownToGt) + ") is here, so no detection could be evaluated");
        }
        if (!unknownToGt.isEmpty()) {
            LOG.warn("{}: categories: the model's categories {} are not here; their detections are not evaluated",
                    source, String.join(", ", unknownToGt));
        }
        if (!untrained.isEmpty()) {
            LOG.warn("{}: categories: {} were not in the training set; the model never detects them (AP 0 where"
                    + " they have annotations)", source, String.join(", ", untrained));
        }
        if (!renamed.isEmpty()) {
            LOG.warn("{}: categories: ids {} have other names than in training; results carry the training ids",
                    source, String.join(", ", renamed));
        }
    }

    /** Prints the pycocotools-style summaries. */
    public static void print(Result r, PrintStream out) {
        out.println("Evaluate annotation type *bbox*");
        r.bbox().summaryLines().forEach(out::println);
        if (r.segm() != null) {
            out.println("Evaluate annotation type *segm*");
            r.segm().summaryLines().forEach(out::println);
        }
    }
}
