package ai.wsbcn.segmentation.eval;

import ai.wsbcn.util.AtomicFiles;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Segmentation scores from a {@link ConfusionMatrix}: IoU of class {@code c} is
 * {@code TP / (TP + FP + FN)}, defined when the class occurs in the ground truth or the prediction
 * ({@code NaN} otherwise); mIoU is the mean over the defined classes; pixel accuracy is {@code sum TP / pixels}.
 *
 * @param iou per-class IoU, {@code NaN} for classes absent from both ground truth and prediction
 * @param gtPixels per-class ground-truth pixel counts
 * @param predPixels per-class predicted pixel counts (over non-ignored pixels)
 * @param pixels pixels counted (ground truth not 255)
 */
public record SegmentationMetrics(double[] iou, long[] gtPixels, long[] predPixels, double mIoU, double pixelAcc,
                                  long pixels) {

    static SegmentationMetrics of(ConfusionMatrix m) {
        int n = m.numClasses();
        double[] iou = new double[n];
        long[] gt = new long[n];
        long[] pred = new long[n];
        long tpSum = 0;
        long total = 0;
        for (int g = 0; g < n; g++) {
            for (int p = 0; p < n; p++) {
                long c = m.count(g, p);
                gt[g] += c;
                pred[p] += c;
                total += c;
            }
            tpSum += m.count(g, g);
        }
        double sum = 0;
        int defined = 0;
        for (int c = 0; c < n; c++) {
            long tp = m.count(c, c);
            long union = gt[c] + pred[c] - tp;
            if (union > 0) {
                iou[c] = (double) tp / union;
                sum += iou[c];
                defined++;
            } else {
                iou[c] = Double.NaN;
            }
        }
        return new SegmentationMetrics(iou, gt, pred, defined == 0 ? Double.NaN : sum / defined,
                total == 0 ? Double.NaN : (double) tpSum / total, total);
    }

    public int numClasses() {
        return iou.length;
    }

    /** The class table: index, name, IoU in percent (or {@code -} when absent), pixel counts; then the summary. */
    public List<String> tableLines(List<String> classNames) {
        List<String> out = new ArrayList<>();
        out.add(String.format(Locale.ROOT, "%5s  %-14s %8s %12s %12s", "class", "name", "IoU", "gt pixels",
                "pred pixels"));
        for (int c = 0; c < iou.length; c++) {
            String name = c < classNames.size() ? classNames.get(c) : "class" + c;
            String v = Double.isNaN(iou[c]) ? "-" : String.format(Locale.ROOT, "%.2f", 100 * iou[c]);
            out.add(String.format(Locale.ROOT, "%5d  %-14s %8s %12d %12d", c, name, v, gtPixels[c], predPixels[c]));
        }
        out.add(String.format(Locale.ROOT, "mIoU %.2f  pixel accuracy %.2f  (%d pixels, %d classes present)",
                100 * mIoU, 100 * pixelAcc, pixels, presentClasses()));
        return out;
    }

    public int presentClasses() {
        int k = 0;
        for (double v : iou) {
            k += Double.isNaN(v) ? 0 : 1;
        }
        return k;
    }

    /** JSON: {@code mIoU}, {@code pixelAcc}, {@code IoU} (by class index, null when absent), plus counts. */
    public JsonObject toJson(List<String> classNames) {
        JsonObject o = new JsonObject();
        // no classes / no pixels: null rather than NaN, which is not JSON
        o.add("mIoU", Double.isNaN(mIoU) ? JsonNull.INSTANCE : new com.google.gson.JsonPrimitive(mIoU));
        o.add("pixelAcc", Double.isNaN(pixelAcc) ? JsonNull.INSTANCE : new com.google.gson.JsonPrimitive(pixelAcc));
        JsonArray a = new JsonArray();
        for (double v : iou) {
            if (Double.isNaN(v)) {
                a.add(JsonNull.INSTANCE);
            } else {
                a.add(v);
            }
        }
        o.add("IoU", a);
        o.addProperty("pixels", pixels);
        o.addProperty("numClasses", iou.length);
        if (!classNames.isEmpty()) {
            JsonArray names = new JsonArray();
            classNames.forEach(names::add);
            o.add("classNames", names);
        }
        return o;
    }

    /** {@link #toJson} as the text {@link #writeJson} writes (without the final newline). */
    public String jsonText(List<String> classNames) {
        return new GsonBuilder().setPrettyPrinting().create().toJson(toJson(classNames));
    }

    public void writeJson(Path file, List<String> classNames) throws IOException {
        AtomicFiles.writeString(file, jsonText(classNames) + "\n");
    }
}
