package ai.wsbcn.detection.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.wsbcn.detection.data.synthetic.SyntheticShapes;
import ai.wsbcn.detection.transforms.DetectionSample;
import ai.wsbcn.util.InvalidInputException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

class CocoSamplesTest {

    @TempDir
    Path dir;

    @Test
    void convertsAndNamesBadInput() throws Exception {
        SyntheticShapes.Layout l = SyntheticShapes.builder().optImageSize(64, 48).optImagesPerSplit(2, 1).optSeed(1)
                .build().write(dir.resolve("d"));
        Path imgs = l.imageDir(SyntheticShapes.Split.TRAIN);
        Path ann = l.annotations(SyntheticShapes.Split.TRAIN);
        CocoSamples s = CocoSamples.open(imgs, ann, true, false);
        DetectionSample x = s.get(0);
        assertEquals(48, x.height());
        assertEquals(64, x.width());
        assertEquals(64 * 48 * 3, x.rgb().length);
        for (int k = 0; k < x.targets().size(); k++) {
            assertTrue(x.targets().labels()[k] >= 1);
            assertEquals(64 * 48, x.targets().masks()[k].length);
        }
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> CocoSamples.open(imgs, dir.resolve("nope.json"), true, false));
        assertTrue(e.getMessage().contains("nope.json"), e.getMessage());
        // a missing image file names the file
        try (var files = Files.list(imgs)) {
            Files.delete(files.sorted().findFirst().orElseThrow());
        }
        e = assertThrows(InvalidInputException.class, () -> CocoSamples.open(imgs, ann, true, false).get(0));
        assertTrue(e.getMessage().contains(imgs.toString()), e.getMessage());
        // a bad field names the field
        Path bad = dir.resolve("bad.json");
        Files.writeString(bad, Files.readString(ann).replaceFirst("\"width\"\\s*:\\s*64", "\"width\": \"x\""));
        e = assertThrows(InvalidInputException.class, () -> CocoSamples.open(imgs, bad, true, false));
        assertTrue(e.getMessage().contains("bad.json") && e.getMessage().contains("width"), e.getMessage());
    }
}
