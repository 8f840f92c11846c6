package ai.wsbcn.cli.detection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.wsbcn.cli.CliRun;
import ai.wsbcn.pretrained.data.ImageFiles;
import ai.wsbcn.pretrained.data.RgbImage;

import com.google.gson.JsonElement;
import com.google.gson.JsonParser;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;

/**
 * A user's own COCO-format set, written by hand: category ids with gaps and listed out of order, an image without
 * annotations, a {@code file_name} in a sub-folder; one tiny model trained once on it and used by every test.
 */
class OwnCocoDataTest {

    private static final String CATEGORIES = "{\"id\": 90, \"name\": \"blue\"}, {\"id\": 3, \"name\": \"red\"},"
            + " {\"id\": 1, \"name\": \"unused\"}";

    @TempDir
    static Path dir;
    private static Path images;
    private static Path run;

    @BeforeAll
    static void trainOnce() throws Exception {
        images = dir.resolve("images");
        Files.createDirectories(images.resolve("sub"));
        ImageFiles.writeRgb(images.resolve("sub/a.jpg"), picture());
        ImageFiles.writeRgb(images.resolve("b.png"), picture());
        ImageFiles.writeRgb(images.resolve("empty.png"), picture());
        Files.writeString(dir.resolve("train.json"), instances(CATEGORIES));
        Path yaml = dir.resolve("tiny.yaml");
        Files.writeString(yaml, "backbone: resnet18\nwidth: 8\nstem: 8\nfpn_channels: 16\nhead-channels: 16\n"
                + "representation-size: 32\nmin-size: 64\nmax-size: 64\nroi-batch: 32\nrpn-post-nms-train: 100\n"
                + "rpn-post-nms-test: 50\nlog-every: 1\n");
        run = dir.resolve("run");
        CliRun train = CliRun.of("detection", "train", "--engine", "pytorch", "--config", yaml.toString(),
                "--data", images.toString(), "--ann", dir.resolve("train.json").toString(), "--out", run.toString(),
                "--iters", "1", "--lr", "0.01");
        assertEquals(0, train.status(), train.err() + train.out());
    }

    /** 64x64: a red rectangle (category 3) and a blue one (category 90) on grey. */
    private static RgbImage picture() {
        byte[] rgb = new byte[64 * 64 * 3];
        for (int y = 0; y < 64; y++) {
            for (int x = 0; x < 64; x++) {
                int i = 3 * (64 * y + x);
                boolean red = x >= 8 && x < 30 && y >= 10 && y < 40;
                boolean blue = x >= 36 && x < 60 && y >= 30 && y < 60;
                rgb[i] = (byte) (red ? 220 : blue ? 30 : 120);
                rgb[i + 1] = (byte) (red || blue ? 30 : 120);
                rgb[i + 2] = (byte) (blue ? 220 : red ? 30 : 120);
            }
        }
        return new RgbImage(64, 64, rgb);
    }

    private static String instances(String categories) {
        StringBuilder anns = new StringBuilder();
        int id = 1;
        for (int image = 1; image <= 2; image++) {
            anns.append(anns.length() == 0 ? "" : ", ")
                    .append(annotation(id++, image, 3, 8, 10, 22, 30)).append(", ")
                    .append(annotation(id++, image, 90, 36, 30, 24, 30));
        }
        return "{\"images\": [{\"id\": 1, \"file_name\": \"sub/a.jpg\", \"width\": 64, \"height\": 64},"
                + " {\"id\": 2, \"file_name\": \"b.png\", \"width\": 64, \"height\": 64},"
                + " {\"id\": 3, \"file_name\": \"empty.png\", \"width\": 64, \"height\": 64}],"
                + " \"categories\": [" + categories + "], \"annotations\": [" + anns + "]}";
    }

    private static String annotation(int id, int image, int category, int x, int y, int w, int h) {
        return "{\"id\": " + id + ", \"image_id\": " + image + ", \"category_id\": " + category + ", \"bbox\": [" + x
                + ", " + y + ", " + w + ", " + h + "], \"area\": " + w * h + ", \"iscrowd\": 0, \"segmentation\": [["
                + x + ", " + y + ", " + (x + w) + ", " + y + ", " + (x + w) + ", " + (y + h) + ", " + x + ", "
                + (y + h) + "]]}";
    }

    private static Set<Long> categoryIds(Path resultsJson) throws Exception {
        Set<Long> ids = new TreeSet<>();
        for (JsonElement e : JsonParser.parseString(Files.readString(resultsJson)).getAsJsonArray()) {
            ids.add(e.getAsJsonObject().get("category_id").getAsLong());
        }
        return ids;
    }

    @Test
    void evaluationOnAFileListingOtherCategoriesKeepsTheTrainingIds() throws Exception {
        // the same images, with two more categories: its own label order (1, 2, 3, 7, 90) is not the model's
        Path val = dir.resolve("val.json");
        Files.writeString(val, instances(CATEGORIES + ", {\"id\": 7, \"name\": \"seven\"}, {\"id\": 2}"));
        Path results = dir.resolve("results.json");
        CliRun eval = CliRun.of("detection", "eval", "--engine", "pytorch", "--checkpoint", run.toString(),
                "--data", images.toString(), "--ann", val.toString(), "--out", results.toString());
        assertEquals(0, eval.status(), eval.err());
        Set<Long> ids = categoryIds(results);
        // an untrained model after one step scores every class above the 0.05 threshold somewhere
        assertEquals(Set.of(1L, 3L, 90L), ids, "the training set's category ids, whatever this file lists");

        Files.writeString(val, instances("{\"id\": 4, \"name\": \"other\"}"));
        CliRun disjoint = CliRun.of("detection", "eval", "--engine", "pytorch", "--checkpoint", run.toString(),
                "--data", images.toString(), "--ann", val.toString(), "--out", results.toString());
        assertEquals(2, disjoint.status(), disjoint.err());
        assertTrue(disjoint.err().contains("val.json: categories: no category id of the training set"),
                disjoint.err());
    }

    @Test
    void predictOnAFolderWithTheInstancesFileIdsIsWhatEvalCocoReads() throws Exception {
        Path folder = dir.resolve("mixed");
        Files.createDirectories(folder);
        Files.copy(images.resolve("b.png"), folder.resolve("b.png"));
        ImageFiles.writeRgb(folder.resolve("b.jpg"), picture()); // same base name, another type
        Files.copy(images.resolve("empty.png"), folder.resolve("empty.png"));
        Files.writeString(folder.resolve("notes.txt"), "not an image");
        Path out = dir.resolve("pred");
        CliRun plain = CliRun.of("detection", "predict", "--engine", "pytorch", "--checkpoint", run.toString(),
                "--out", out.toString(), folder.toString());
        assertEquals(0, plain.status(), plain.err());
        assertTrue(plain.out().contains("in 3 images"), plain.out());
        for (String png : new String[] {"b.jpg.png", "b.png.png", "empty.png"}) {
            assertTrue(Files.isRegularFile(out.resolve(png)), png + " (one drawing per input, none overwritten)");
        }

        // ids from the instances file, found by file_name (sub/a.jpg through its path): eval coco accepts them
        Path evaluable = dir.resolve("pred-ids");
        CliRun withIds = CliRun.of("detection", "predict", "--engine", "pytorch", "--checkpoint", run.toString(),
                "--out", evaluable.toString(), "--ann", dir.resolve("train.json").toString(),
                images.resolve("empty.png").toString(), images.resolve("sub/a.jpg").toString());
        assertEquals(0, withIds.status(), withIds.err());
        Set<Long> imageIds = new TreeSet<>();
        for (JsonElement e : JsonParser.parseString(Files.readString(evaluable.resolve("predictions.json")))
                .getAsJsonArray()) {
            imageIds.add(e.getAsJsonObject().get("image_id").getAsLong());
        }
        assertEquals(Set.of(1L, 3L), imageIds);
        CliRun eval = CliRun.of("eval", "coco", "--gt", dir.resolve("train.json").toString(), "--dt",
                evaluable.resolve("predictions.json").toString(), "--iou-type", "segm");
        assertEquals(0, eval.status(), eval.err());
        assertTrue(eval.out().contains("Average Precision"), eval.out());

        CliRun unknown = CliRun.of("detection", "predict", "--engine", "pytorch", "--checkpoint", run.toString(),
                "--out", evaluable.toString(), "--ann", dir.resolve("train.json").toString(),
                folder.resolve("b.jpg").toString());
        assertEquals(2, unknown.status(), unknown.err());
        assertTrue(unknown.err().contains("b.jpg: no image of") && unknown.err().contains("has this file_name"),
                unknown.err());
        CliRun overwrite = CliRun.of("detection", "predict", "--engine", "pytorch", "--checkpoint", run.toString(),
                "--out", images.toString(), images.resolve("b.png").toString());
        assertEquals(2, overwrite.status(), overwrite.err());
        assertTrue(overwrite.err().contains("would be overwritten by the result"), overwrite.err());
        Files.createDirectories(dir.resolve("no-images"));
        CliRun noImages = CliRun.of("detection", "predict", "--checkpoint", run.toString(), "--out",
                dir.resolve("unused").toString(), dir.resolve("no-images").toString());
        assertEquals(2, noImages.status(), noImages.err());
        assertTrue(noImages.err().contains("no image files in this folder"), noImages.err());
    }

    @Test
    void aGroundTruthWithoutAMaskIsRefusedBeforeTheModelRuns() throws Exception {
        // pycocotools' segm evaluation fails on it too; here it was found only after every image had been run
        Path val = dir.resolve("no-mask.json");
        Files.writeString(val, instances(CATEGORIES).replace(", \"segmentation\": [[36, 30, 60, 30, 60, 60, 36, 60]]}",
                "}"));
        Path results = dir.resolve("no-mask-results.json");
        CliRun eval = CliRun.of("detection", "eval", "--engine", "pytorch", "--checkpoint", run.toString(),
                "--data", images.toString(), "--ann", val.toString(), "--out", results.toString());
        assertEquals(2, eval.status(), eval.err());
        assertTrue(eval.err().contains("no-mask.json: annotation id 2: segmentation: missing (needed for segm"
                + " evaluation)"), eval.err());
        assertTrue(!eval.err().contains("evaluated") && !Files.exists(results), eval.err());
    }
}
