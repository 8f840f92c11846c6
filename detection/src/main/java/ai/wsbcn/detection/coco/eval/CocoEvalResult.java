package ai.wsbcn.detection.coco.eval;

import ai.wsbcn.util.AtomicFiles;
import com.google.gson.stream.JsonWriter;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The accumulated evaluation ({@code COCOeval.eval}) and its summary ({@code COCOeval.stats}): precision
 * {@code [T][R][K][A][M]} and recall {@code [T][K][A][M]} with -1 where a category has no ground truth, the 12
 * standard numbers and the 12 lines {@code summarize()} prints. Immutable.
 */
public final class CocoEvalResult {

    /** Keys of {@link #stats()} in order, as written by {@link #writeJson}. */
    public static final List<String> STAT_NAMES = List.of("AP", "AP50", "AP75", "APs", "APm", "APl", "AR1", "AR10",
            "AR100", "ARs", "ARm", "ARl");

    private final IouType iouType;
    private final long[] categoryIds;
    private final String[] categoryNames;
    private final double[] precision;
    private final double[] recall;
    private final double[] stats;
    private final List<String> lines;
    private final NumpyCompat.Summation summation;

    CocoEvalResult(IouType iouType, long[] categoryIds, String[] categoryNames, double[] precision,
            double[] recall, NumpyCompat.Summation summation) {
        this.iouType = iouType;
        this.summation = summation;
        this.categoryIds = categoryIds.clone();
        this.categoryNames = categoryNames.clone();
        this.precision = precision;
        this.recall = recall;
        this.stats = new double[12];
        this.lines = new ArrayList<>(12);
        summarize();
    }

    public IouType iouType() {
        return iouType;
    }

    /** The 12 numbers of {@code COCOeval.stats}: AP, AP50, AP75, APs, APm, APl, AR1, AR10, AR100, ARs, ARm, ARl. */
    public double[] stats() {
        return stats.clone();
    }

    /** One number by its name in {@link #STAT_NAMES}. */
    public double stat(String name) {
        int i = STAT_NAMES.indexOf(name);
        if (i < 0) {
            throw new IllegalArgumentException("unknown stat " + name + ", expected one of " + STAT_NAMES);
        }
        return stats[i];
    }

    /** The 12 lines exactly as pycocotools' {@code summarize()} prints them. */
    public List<String> summaryLines() {
        return List.copyOf(lines);
    }

    public int numCategories() {
        return categoryIds.length;
    }

    public long categoryId(int k) {
        return categoryIds[k];
    }

    public String categoryName(int k) {
        return categoryNames[k];
    }

    /** {@code precision[t, r, k, a, m]}. */
    public double precision(int t, int r, int k, int a, int m) {
        return precision[index(t, r, k, a, m)];
    }

    /** {@code recall[t, k, a, m]}. */
    public double recall(int t, int k, int a, int m) {
        int numK = categoryIds.length;
        return recall[((t * numK + k) * CocoEvalParams.numAreas() + a) * CocoEvalParams.numMaxDets() + m];
    }

    /**
     * AP of category {@code k} at area "all" and the largest maxDets over the IoU thresholds {@code t0 .. t1-1}
     * (all ten: AP; {@code 0..1}: AP50), the mean of the precision values above -1, or -1 when there is none (as
     * detectron2's per-category table computes it).
     */
    public double categoryAp(int k, int t0, int t1) {
        double[] buf = new double[(t1 - t0) * CocoEvalParams.numRecall()];
        int n = 0;
        int m = CocoEvalParams.numMaxDets() - 1;
        for (int t = t0; t < t1; t++) {
            for (int r = 0; r < CocoEvalParams.numRecall(); r++) {
                double v = precision(t, r, k, 0, m);
                if (v > -1) {
                    buf[n++] = v;
                }
            }
        }
        return n == 0 ? -1 : NumpyCompat.mean(buf, n, summation);
    }

    /**
     * Writes {@code {"AP": ..., ..., "ARl": ...}} and, when asked, {@code "per_category": [{"id", "name", "AP",
     * "AP50"}]} (-1 where a category has no ground truth).
     */
    public void writeJson(Path file, boolean perCategory) throws IOException {
        AtomicFiles.writeString(file, jsonText(perCategory) + "\n");
    }

    /** The text {@link #writeJson} writes (without the final newline). */
    public String jsonText(boolean perCategory) throws IOException {
        StringWriter text = new StringWriter();
        JsonWriter w = new JsonWriter(text);
        w.setIndent("  ");
        write(w, perCategory);
        w.flush();
        return text.toString();
    }

    /** The object {@link #writeJson} writes, into {@code w} (as the value of a name, say). */
    public void write(JsonWriter w, boolean perCategory) throws IOException {
        w.beginObject();
        w.name("iou_type").value(iouType.cocoName());
        for (int i = 0; i < stats.length; i++) {
            w.name(STAT_NAMES.get(i)).value(stats[i]);
        }
        if (perCategory) {
            w.name("per_category").beginArray();
            for (int k = 0; k < categoryIds.length; k++) {
                w.beginObject().name("id").value(categoryIds[k]).name("name").value(categoryNames[k])
                        .name("AP").value(categoryAp(k, 0, CocoEvalParams.numIou()))
                        .name("AP50").value(categoryAp(k, 0, 1)).endObject();
            }
            w.endArray();
        }
        w.endObject();
    }

    /** A text table of per-category AP and AP50 (in percent, like detectron2's table). */
    public List<String> perCategoryLines() {
        int width = 8;
        for (String n : categoryNames) {
            width = Math.max(width, n.length());
        }
        List<String> out = new ArrayList<>();
        out.add(String.format(Locale.ROOT, "%8s  %-" + width + "s  %6s  %6s", "id", "category", "AP", "AP50"));
        for (int k = 0; k < categoryIds.length; k++) {
            double ap = categoryAp(k, 0, CocoEvalParams.numIou());
            double ap50 = categoryAp(k, 0, 1);
            out.add(String.format(Locale.ROOT, "%8d  %-" + width + "s  %6s  %6s", categoryIds[k], categoryNames[k],
                    percent(ap), percent(ap50)));
        }
        return out;
    }

    private static String percent(double v) {
        return v < 0 ? "-" : NumpyCompat.format(100 * v, 1);
    }

    private int index(int t, int r, int k, int a, int m) {
        return (((t * CocoEvalParams.numRecall() + r) * categoryIds.length + k) * CocoEvalParams.numAreas() + a)
                * CocoEvalParams.numMaxDets() + m;
    }

    private void summarize() {
        int[] md = CocoEvalParams.maxDets();
        stats[0] = summarizeOne(true, null, "all", md[2]);
        stats[1] = summarizeOne(true, .5, "all", md[2]);
        stats[2] = summarizeOne(true, .75, "all", md[2]);
        stats[3] = summarizeOne(true, null, "small", md[2]);
        stats[4] = summarizeOne(true, null, "medium", md[2]);
        stats[5] = summarizeOne(true, null, "large", md[2]);
        stats[6] = summarizeOne(false, null, "all", md[0]);
        stats[7] = summarizeOne(false, null, "all", md[1]);
        stats[8] = summarizeOne(false, null, "all", md[2]);
        stats[9] = summarizeOne(false, null, "small", md[2]);
        stats[10] = summarizeOne(false, null, "medium", md[2]);
        stats[11] = summarizeOne(false, null, "large", md[2]);
    }

    /** {@code _summarize}: the mean of the selected values above -1 (-1 if none), and its printed line. */
    private double summarizeOne(boolean ap, Double iouThr, String areaLabel, int maxDets) {
        double[] iouThrs = CocoEvalParams.iouThresholds();
        int a = CocoEvalParams.areaLabels().indexOf(areaLabel);
        int m = 0;
        while (CocoEvalParams.maxDet(m) != maxDets) {
            m++;
        }
        int numK = categoryIds.length;
        int numR = CocoEvalParams.numRecall();
        double[] buf = new double[iouThrs.length * (ap ? numR : 1) * Math.max(numK, 1)];
        int n = 0;
        for (int t = 0; t < iouThrs.length; t++) {
            // exact comparison, as np.where(iouThr == p.iouThrs) does
            if (iouThr != null && iouThrs[t] != iouThr) {
                continue;
            }
            if (ap) {
                for (int r = 0; r < numR; r++) {
                    for (int k = 0; k < numK; k++) {
                        double v = precision[index(t, r, k, a, m)];
                        if (v > -1) {
                            buf[n++] = v;
                        }
                    }
                }
            } else {
                for (int k = 0; k < numK; k++) {
                    double v = recall(t, k, a, m);
                    if (v > -1) {
                        buf[n++] = v;
                    }
                }
            }
        }
        double mean = n == 0 ? -1 : NumpyCompat.mean(buf, n, summation);
        String iouStr = iouThr == null
                ? NumpyCompat.format(iouThrs[0], 2) + ":" + NumpyCompat.format(iouThrs[iouThrs.length - 1], 2)
                : NumpyCompat.format(iouThr, 2);
        lines.add(String.format(Locale.ROOT, " %-18s %s @[ IoU=%-9s | area=%6s | maxDets=%3d ] = %s",
                ap ? "Average Precision" : "Average Recall", ap ? "(AP)" : "(AR)", iouStr, areaLabel, maxDets,
                NumpyCompat.format(mean, 3)));
        return mean;
    }
}
