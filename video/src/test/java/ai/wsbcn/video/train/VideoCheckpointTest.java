package ai.wsbcn.video.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.wsbcn.norm.testing.TestEngines;
import ai.wsbcn.util.InvalidInputException;
import ai.wsbcn.video.model.TsmModelSpec;
import ai.wsbcn.video.model.TsmNetwork;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** {@code checkpoint.bin}: a round trip restores position and parameters; foreign or corrupt files are named. */
class VideoCheckpointTest {

    private static TsmModelSpec spec(String norm) {
        return new TsmModelSpec("resnet8w8", norm, 2, 8, true, 1, 0f, 16, 18, List.of("a", "b", "c"));
    }

    @Test
    void roundTripRestoresPositionAndEveryParameter(@TempDir Path dir) throws IOException {
        try (NDManager m = TestEngines.manager(TestEngines.names().findFirst().orElseThrow())) {
            TsmNetwork saved = spec("gn+ws").buildInitialized(m);
            Path file = dir.resolve("checkpoint.bin");
            VideoCheckpoint.save(file, saved, new ClipSgd(saved, m, 0.9f, 0f, 0f),
                    new VideoCheckpoint.Position(3, 7, 1234567890123L));
            m.getEngine().setRandomSeed(99); // another initialisation for the network that loads
            TsmNetwork loaded = spec("gn+ws").buildInitialized(m);
            Parameter w = loaded.getParameters().valueAt(0);
            float[] before = w.getArray().toFloatArray();
            VideoCheckpoint.Position at = VideoCheckpoint.load(file, loaded, new ClipSgd(loaded, m, 0.9f, 0f, 0f),
                    m);
            assertEquals(new VideoCheckpoint.Position(3, 7, 1234567890123L), at);
            for (int i = 0; i < saved.getParameters().size(); i++) {
                assertArrayEquals(saved.getParameters().valueAt(i).getArray().toFloatArray(),
                        loaded.getParameters().valueAt(i).getArray().toFloatArray(), 0f,
                        saved.getParameters().keyAt(i));
            }
            assertTrue(!java.util.Arrays.equals(before, w.getArray().toFloatArray()) || before.length == 0,
                    "the loading network started from other weights");
            assertTrue(w.getArray().hasGradient(), "loaded parameters take gradients again");
        }
    }

    @Test
    void aCheckpointOfAnotherNormIsRefusedByName(@TempDir Path dir) throws IOException {
        try (NDManager m = TestEngines.manager(TestEngines.names().findFirst().orElseThrow())) {
            TsmNetwork gn = spec("gn+ws").buildInitialized(m);
            Path file = dir.resolve("checkpoint.bin");
            VideoCheckpoint.save(file, gn, new ClipSgd(gn, m, 0.9f, 0f, 0f), new VideoCheckpoint.Position(0, 1, 1));
            TsmNetwork bcn = spec("bcn+ws").buildInitialized(m);
            InvalidInputException e = assertThrows(InvalidInputException.class,
                    () -> VideoCheckpoint.load(file, bcn, new ClipSgd(bcn, m, 0.9f, 0f, 0f), m));
            assertTrue(e.getMessage().startsWith(file.toString()) && e.getMessage().contains("checkpoint is for"),
                    e.getMessage());
        }
    }

    /** A checkpoint of the trainer's format before 2026-12-06 (its own header, then parameters, then momentum). */
    @Test
    void theEarlierFormatStillLoads(@TempDir Path dir) throws IOException {
        try (NDManager m = TestEngines.manager(TestEngines.names().findFirst().orElseThrow())) {
            TsmNetwork saved = spec("gn").buildInitialized(m);
            ClipSgd sgd = new ClipSgd(saved, m, 0.9f, 0f, 0f);
            Path file = dir.resolve("checkpoint.bin");
            try (java.io.DataOutputStream out = new java.io.DataOutputStream(Files.newOutputStream(file))) {
                out.writeUTF("wsbcn-tsm-checkpoint-v2");
                out.writeUTF(saved.toString());
                out.writeInt(2);
                out.writeInt(5);
                out.writeLong(17);
                saved.saveParameters(out);
                out.write(sgd.saveState(saved)); // the same bytes the old format had after the parameters
            }
            m.getEngine().setRandomSeed(99);
            TsmNetwork loaded = spec("gn").buildInitialized(m);
            VideoCheckpoint.Position at = VideoCheckpoint.load(file, loaded, new ClipSgd(loaded, m, 0.9f, 0f, 0f),
                    m);
            assertEquals(new VideoCheckpoint.Position(2, 5, 17), at);
            for (int i = 0; i < saved.getParameters().size(); i++) {
                assertArrayEquals(saved.getParameters().valueAt(i).getArray().toFloatArray(),
                        loaded.getParameters().valueAt(i).getArray().toFloatArray(), 0f,
                        saved.getParameters().keyAt(i));
            }
        }
    }

    @Test
    void aFileThatIsNoCheckpointIsNamed(@TempDir Path dir) throws IOException {
        try (NDManager m = TestEngines.manager(TestEngines.names().findFirst().orElseThrow())) {
            TsmNetwork net = spec("gn").buildInitialized(m);
            Path file = dir.resolve("checkpoint.bin");
            Files.write(file, new byte[] {0, 5, 'h', 'e', 'l', 'l', 'o'});
            InvalidInputException e = assertThrows(InvalidInputException.class,
                    () -> VideoCheckpoint.load(file, net, new ClipSgd(net, m, 0.9f, 0f, 0f), m));
            assertTrue(e.getMessage().equals(file + ": not a wsbcn training checkpoint"), e.getMessage());
        }
    }
}
