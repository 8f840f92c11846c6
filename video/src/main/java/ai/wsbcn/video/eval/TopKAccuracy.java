package ai.wsbcn.video.eval;

import ai.wsbcn.pretrained.train.ScoreRanks;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Top-1/top-5 accuracy over clips and accuracy per class (top-1 among the clips of each true class), accumulated from
 * score rows. Ties are broken as a stable descending sort would (the lower class index ranks first), so a row of
 * equal scores is not counted as correct for every class. Not thread-safe: one accumulator per evaluation.
 */
public final class TopKAccuracy {

    private final List<String> classes;
    private final int k;
    private final long[] clipsPerClass;
    private final long[] top1PerClass;
    private long clips;
    private long top1;
    private long topK;

    public TopKAccuracy(List<String> classes) {
        this(classes, 5);
    }

    public TopKAccuracy(List<String> classes, int k) {
        if (classes.isEmpty() || k < 1) {
            throw new IllegalArgumentException("need classes and k >= 1");
        }
        this.classes = List.copyOf(classes);
        this.k = k;
        this.clipsPerClass = new long[classes.size()];
        this.top1PerClass = new long[classes.size()];
    }

    /** Adds one clip: {@code scores} over all classes (logits or probabilities), its true {@code label}. */
    public void add(float[] scores, int label) {
        if (scores.length != classes.size()) {
            throw new IllegalArgumentException("expected " + classes.size() + " scores, got " + scores.length);
        }
        if (label < 0 || label >= classes.size()) {
            throw new IllegalArgumentException("label " + label + " out of range [0, " + classes.size() + ")");
        }
        int rank = ScoreRanks.rankOf(scores, 0, scores.length, label); // a NaN score is never correct
        clips++;
        clipsPerClass[label]++;
        if (rank == 0) {
            top1++;
            top1PerClass[label]++;
        }
        if (rank < k) {
            topK++;
        }
    }

    /** Adds a batch: {@code scores} row-major {@code (n, classes)}. */
    public void addBatch(float[] scores, int[] labels) {
        int c = classes.size();
        if (scores.length != labels.length * c) {
            throw new IllegalArgumentException("scores " + scores.length + " != " + labels.length + " x " + c);
        }
        float[] row = new float[c];
        for (int i = 0; i < labels.length; i++) {
            System.arraycopy(scores, i * c, row, 0, c);
            add(row, labels[i]);
        }
    }

    public long clips() {
        return clips;
    }

    public int k() {
        return k;
    }

    /** Top-1 accuracy in [0, 1] (NaN before any clip). */
    public double top1() {
        return clips == 0 ? Double.NaN : (double) top1 / clips;
    }

    public double topK() {
        return clips == 0 ? Double.NaN : (double) topK / clips;
    }

    /** Top-1 accuracy of the clips of class {@code c}; NaN when it has none. */
    public double classAccuracy(int c) {
        return clipsPerClass[c] == 0 ? Double.NaN : (double) top1PerClass[c] / clipsPerClass[c];
    }

    /** Mean of the per-class accuracies over the classes that have clips. */
    public double meanClassAccuracy() {
        double s = 0;
        int n = 0;
        for (int c = 0; c < classes.size(); c++) {
            if (clipsPerClass[c] > 0) {
                s += classAccuracy(c);
                n++;
            }
        }
        return n == 0 ? Double.NaN : s / n;
    }

    /** Human-readable summary lines; with {@code perClass} one line per class that has clips. */
    public List<String> lines(boolean perClass) {
        List<String> out = new ArrayList<>();
        out.add(String.format(Locale.ROOT, "clips %d  top-1 %.2f%%  top-%d %.2f%%  mean class accuracy %.2f%%", clips,
                100 * top1(), k, 100 * topK(), 100 * meanClassAccuracy()));
        if (perClass) {
            for (int c = 0; c < classes.size(); c++) {
                if (clipsPerClass[c] > 0) {
                    out.add(String.format(Locale.ROOT, "  %6.2f%%  %5d clips  %3d %s", 100 * classAccuracy(c),
                            clipsPerClass[c], c, classes.get(c)));
                }
            }
        }
        return out;
    }

    /** The figures as JSON (accuracies in [0, 1]). */
    public String toJson(boolean perClass) {
        JsonObject o = new JsonObject();
        o.addProperty("clips", clips);
        o.addProperty("top1", top1());
        o.addProperty("top" + k, topK());
        o.addProperty("mean_class_accuracy", meanClassAccuracy());
        if (perClass) {
            JsonArray a = new JsonArray();
            for (int c = 0; c < classes.size(); c++) {
                JsonObject e = new JsonObject();
                e.addProperty("index", c);
                e.addProperty("name", classes.get(c));
                e.addProperty("clips", clipsPerClass[c]);
                if (clipsPerClass[c] > 0) {
                    e.addProperty("top1", classAccuracy(c));
                }
                a.add(e);
            }
            o.add("per_class", a);
        }
        return new GsonBuilder().setPrettyPrinting().serializeSpecialFloatingPointValues().create().toJson(o);
    }
}
