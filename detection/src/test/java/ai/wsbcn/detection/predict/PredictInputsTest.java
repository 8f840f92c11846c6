package ai.wsbcn.detection.predict;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.wsbcn.detection.coco.json.CocoDataset;
import ai.wsbcn.detection.coco.json.CocoImage;
import ai.wsbcn.util.InvalidInputException;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

class PredictInputsTest {

    private static CocoDataset images(String... fileNames) {
        CocoDataset.Builder b = CocoDataset.builder("gt.json");
        for (int i = 0; i < fileNames.length; i++) {
            b.addImage(new CocoImage(10L * (i + 1), fileNames[i], 8, 8));
        }
        return b.build();
    }

    @Test
    void imageIdsComeFromTheLongestFileNameThePathEndsWith() {
        CocoDataset gt = images("a.jpg", "val/a.jpg", "b.png");
        long[] ids = PredictInputs.imageIds(List.of(Path.of("/data/val/a.jpg"), Path.of("/x/a.jpg"),
                Path.of("/data/val/b.png")), gt);
        assertArrayEquals(new long[] {20, 10, 30}, ids);
        InvalidInputException missing = assertThrows(InvalidInputException.class,
                () -> PredictInputs.imageIds(List.of(Path.of("/data/ba.png")), gt));
        assertTrue(missing.getMessage().contains("/data/ba.png: no image of gt.json has this file_name"),
                missing.getMessage());
        InvalidInputException twice = assertThrows(InvalidInputException.class,
                () -> PredictInputs.imageIds(List.of(Path.of("/d/c.png")), images("c.png", "./c.png")));
        assertTrue(twice.getMessage().contains("several images of gt.json have the file_name"), twice.getMessage());
    }

    @Test
    void overlaysOfInputsSharingABaseNameKeepTheirExtension() {
        Path out = Path.of("/out");
        List<Path> files = PredictInputs.overlayFiles(List.of(Path.of("/i/a.jpg"), Path.of("/i/A.png"),
                Path.of("/i/c.jpeg"), Path.of("/j/a.jpg")), out);
        assertEquals(List.of(out.resolve("a.jpg.png"), out.resolve("A.png.png"), out.resolve("c.png"),
                out.resolve("a.jpg-2.png")), files);
    }
}
