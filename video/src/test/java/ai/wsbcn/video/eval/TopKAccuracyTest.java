package ai.wsbcn.video.eval;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Accuracies counted by hand on small score tables. */
class TopKAccuracyTest {

    private static final List<String> SIX = List.of("a", "b", "c", "d", "e", "f");

    @Test
    void topOneTopTwoAndPerClass() {
        TopKAccuracy acc = new TopKAccuracy(List.of("a", "b", "c"), 2);
        acc.add(new float[] {3, 1, 2}, 0); // rank 0
        acc.add(new float[] {3, 1, 2}, 2); // rank 1
        acc.add(new float[] {3, 1, 2}, 1); // rank 2
        acc.add(new float[] {0, 5, 1}, 1); // rank 0
        assertEquals(4, acc.clips());
        assertEquals(0.5, acc.top1(), 0);
        assertEquals(0.75, acc.topK(), 0);
        assertEquals(1.0, acc.classAccuracy(0), 0);
        assertEquals(0.5, acc.classAccuracy(1), 0);
        assertEquals(0.0, acc.classAccuracy(2), 0);
        assertEquals(0.5, acc.meanClassAccuracy(), 1e-12);
    }

    @Test
    void tiesRankLowerIndexFirstAndNanIsWrong() {
        TopKAccuracy acc = new TopKAccuracy(SIX);
        float[] flat = {1, 1, 1, 1, 1, 1};
        acc.add(flat, 0); // rank 0
        acc.add(flat, 4); // rank 4: top-5 but not top-1
        acc.add(flat, 5); // rank 5: neither
        acc.add(new float[] {Float.NaN, 0, 0, 0, 0, 0}, 0);
        assertEquals(0.25, acc.top1(), 0);
        assertEquals(0.5, acc.topK(), 0);
    }

    @Test
    void jsonCarriesTheFigures() {
        TopKAccuracy acc = new TopKAccuracy(SIX);
        acc.addBatch(new float[] {0, 9, 0, 0, 0, 0, 9, 0, 0, 0, 0, 0}, new int[] {1, 1});
        JsonObject o = JsonParser.parseString(acc.toJson(true)).getAsJsonObject();
        assertEquals(2, o.get("clips").getAsInt());
        assertEquals(0.5, o.get("top1").getAsDouble(), 0);
        assertEquals(1.0, o.get("top5").getAsDouble(), 0);
        assertEquals(0.5, o.getAsJsonArray("per_class").get(1).getAsJsonObject().get("top1").getAsDouble(), 0);
        assertEquals(false, o.getAsJsonArray("per_class").get(0).getAsJsonObject().has("top1"));
    }
}
