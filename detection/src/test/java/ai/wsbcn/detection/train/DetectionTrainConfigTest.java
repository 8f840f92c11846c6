package ai.wsbcn.detection.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.wsbcn.util.InvalidInputException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

class DetectionTrainConfigTest {

    @TempDir
    Path dir;

    @Test
    void yamlThenFlagsThenRoundTrip() throws Exception {
        Path yaml = dir.resolve("cfg.yaml");
        Files.writeString(yaml, "norm: bcn+ws\nimages_per_batch: 2\niter-size: 4\nlr: 0.01\nschedule: 2x\n");
        DetectionTrainConfig c = DetectionTrainConfig.load(yaml);
        assertEquals("bcn+ws", c.get("norm"));
        assertEquals(8, c.totalBatch());
        c.set("--lr", "0.005", "flag");
        assertEquals(0.005f, c.lr(), 0f);
        assertEquals(360_000, c.schedule().iterations()); // 2x at batch 8: 180k * 2
        Path json = dir.resolve("config.json");
        c.write(json);
        DetectionTrainConfig back = DetectionTrainConfig.load(json);
        assertEquals(c, back);
    }

    @Test
    void defaultsFollowTheNorm() {
        DetectionTrainConfig c = DetectionTrainConfig.defaults();
        assertEquals(0, c.freezeAt());
        c.set("norm", "frozen-bn", "flag");
        assertEquals(2, c.freezeAt());
        c.set("freeze-at", "1", "flag");
        assertEquals(1, c.freezeAt());
        // lr by the linear scaling rule: 0.02 at 16 images -> 0.00125 at 1
        assertEquals(0.00125f, c.lr(), 1e-9f);
    }

    @Test
    void errorsNameFileAndField() throws Exception {
        Path yaml = dir.resolve("bad.yaml");
        Files.writeString(yaml, "nrom: gn\n");
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> DetectionTrainConfig.load(yaml));
        assertTrue(e.getMessage().contains("bad.yaml") && e.getMessage().contains("nrom"), e.getMessage());
        Path json = dir.resolve("bad.json");
        Files.writeString(json, "{\"lr\": ");
        e = assertThrows(InvalidInputException.class, () -> DetectionTrainConfig.load(json));
        assertTrue(e.getMessage().contains("bad.json"), e.getMessage());
        DetectionTrainConfig c = DetectionTrainConfig.defaults().set("iter-size", "two", "flag");
        e = assertThrows(InvalidInputException.class, c::totalBatch);
        assertTrue(e.getMessage().contains("--iter-size"), e.getMessage());
        e = assertThrows(InvalidInputException.class,
                () -> DetectionTrainConfig.load(dir.resolve("missing.yaml")));
        assertTrue(e.getMessage().contains("missing.yaml"), e.getMessage());
    }
}
