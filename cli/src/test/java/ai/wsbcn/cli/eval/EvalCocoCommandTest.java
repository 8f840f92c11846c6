package ai.wsbcn.cli.eval;

import ai.wsbcn.cli.CliRun;
import ai.wsbcn.cli.Main;
import ai.wsbcn.detection.coco.eval.CocoEvalResult;
import ai.wsbcn.detection.coco.eval.CocoEvaluator;
import ai.wsbcn.detection.coco.eval.IouType;
import ai.wsbcn.detection.coco.json.CocoJsonWriter;
import ai.wsbcn.detection.data.synthetic.SyntheticEvalProblem;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code wsbcn eval coco} and {@code wsbcn bench coco-eval} through {@link Main#run}. */
class EvalCocoCommandTest {

    @TempDir
    static Path dir;

    private static CocoEvalResult expected;

    @BeforeAll
    static void writeProblem() throws IOException {
        SyntheticEvalProblem.Problem p = SyntheticEvalProblem.builder().optImages(12).optCategories(4)
                .optDetectionsPerImage(20).optMasks(true).build().generate();
        CocoJsonWriter.writeDataset(p.groundTruth(), dir.resolve("gt.json"));
        CocoJsonWriter.writeResults(p.results().detections(), dir.resolve("dt.json"));
        expected = CocoEvaluator.builder().setGroundTruth(p.groundTruth()).setResults(p.results())
                .setIouType(IouType.SEGM).build().run();
    }

    private static CliRun run(String... args) {
        return CliRun.of(args);
    }

    @Test
    void printsTheTwelveLinesAndWritesJson() throws IOException {
        Path json = dir.resolve("stats.json");
        CliRun r = run("eval", "coco", "--gt", dir.resolve("gt.json").toString(), "--dt", dir.resolve("dt.json").toString(),
                "--iou-type", "segm", "--json", json.toString(), "--per-category", "--threads", "2");
        assertEquals(0, r.status(), r.err());
        List<String> lines = Arrays.asList(r.out().split("\n"));
        assertEquals(expected.summaryLines(), lines.subList(0, 12));
        assertTrue(lines.get(13).contains("category"), r.out());
        assertEquals(13 + 1 + 4, lines.size(), r.out());
        JsonObject o = JsonParser.parseString(Files.readString(json)).getAsJsonObject();
        double[] stats = expected.stats();
        for (int i = 0; i < 12; i++) {
            assertEquals(stats[i], o.get(CocoEvalResult.STAT_NAMES.get(i)).getAsDouble(), 0.0);
        }
        assertEquals(4, o.getAsJsonArray("per_category").size());
    }

    @Test
    void jsonDashPrintsTheJsonAlone() throws IOException {
        Path json = dir.resolve("stats-file.json");
        String[] common = {"eval", "coco", "--gt", dir.resolve("gt.json").toString(), "--dt",
            dir.resolve("dt.json").toString(), "--iou-type", "segm", "--json"};
        CliRun file = run(java.util.stream.Stream.concat(Arrays.stream(common), java.util.stream.Stream.of(
                json.toString())).toArray(String[]::new));
        CliRun dash = run(java.util.stream.Stream.concat(Arrays.stream(common), java.util.stream.Stream.of("-"))
                .toArray(String[]::new));
        assertEquals(0, dash.status(), dash.err());
        assertEquals(0, file.status(), file.err());
        assertEquals(Files.readString(json), dash.out());
    }

    @Test
    void badInputExitsWithStatusTwoAndNamesTheProblem() throws IOException {
        CliRun missing = run("eval", "coco", "--gt", dir.resolve("gt.json").toString(), "--dt",
                dir.resolve("nothere.json").toString());
        assertEquals(2, missing.status());
        assertTrue(missing.err().contains("nothere.json: file not found"), missing.err());

        Path cut = dir.resolve("cut.json");
        String text = Files.readString(dir.resolve("dt.json"));
        Files.writeString(cut, text.substring(0, text.length() / 2));
        CliRun truncated = run("eval", "coco", "--gt", dir.resolve("gt.json").toString(), "--dt", cut.toString());
        assertEquals(2, truncated.status());
        assertTrue(truncated.err().contains("cut.json: not valid JSON"), truncated.err());

        assertEquals(2, run("eval", "coco", "--gt", "x", "--dt", "y", "--iou-type", "keypoints").status());
        assertEquals(2, run("eval", "coco", "--gt", dir.resolve("gt.json").toString()).status());
        assertEquals(0, run("eval", "coco", "--help").status());
    }

    @Test
    void benchRunsOnASmallProblem() {
        CliRun r = run("bench", "coco-eval", "--images", "20", "--repeat", "1", "--iou-type", "bbox");
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().contains("problem: 20 images"), r.out());
        assertTrue(r.out().contains("run 1: evaluate"), r.out());
        assertTrue(r.out().contains(" Average Precision  (AP) @[ IoU=0.50:0.95 | area=   all | maxDets=100 ] = "));
        assertEquals(2, run("bench", "coco-eval", "--images", "zero").status());
    }
}
