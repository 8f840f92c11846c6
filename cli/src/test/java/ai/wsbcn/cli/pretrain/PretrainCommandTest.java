package ai.wsbcn.cli.pretrain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.wsbcn.cli.CliRun;
import ai.wsbcn.pretrained.data.MnistLayout;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** {@code pretrain} through the command line: a settings file, the recorded flags, and resume by --out alone. */
class PretrainCommandTest {

    @Test
    void aJsonConfigThenAResumeThatRefusesOtherSettings(@TempDir Path dir) throws Exception {
        assumeTrue(MnistLayout.isComplete(MnistLayout.SYSTEM_FASHION_MNIST), "Fashion-MNIST not installed");
        Path cfg = dir.resolve("r8.json");
        Files.writeString(cfg, "{\"arch\": \"resnet8\", \"norm\": \"bcn+ws\", \"micro_batch\": 2, \"iter-size\": 2,"
                + " \"samples\": 24, \"limit-train\": 32, \"limit-test\": 16, \"lr\": 0.05}");
        Path out = dir.resolve("run");
        CliRun first = CliRun.of("pretrain", "--config", cfg.toString(), "--out", out.toString());
        assertEquals(0, first.status(), first.err());
        assertTrue(first.out().startsWith("test error"), first.out());
        List<String> log = Files.readAllLines(out.resolve("train_log.csv"));
        assertEquals(1 + 6, log.size(), "24 samples / (2 x 2) = 6 updates: " + log);
        assertTrue(Files.size(out.resolve("loss_curve.png")) > 0, "plotted as by the other trainers");
        // the columns of every trainer's train_log.csv: step (from 1), lr, loss
        assertEquals("step,lr,loss", log.get(0));
        assertTrue(log.get(1).startsWith("1,0.05") && log.get(6).startsWith("6,"), log.toString());
        String saved = Files.readString(out.resolve("config.json"));
        assertTrue(saved.contains("\"norm\": \"bcn+ws\"") && saved.contains("\"micro-batch\": \"2\""), saved);

        CliRun again = CliRun.of("pretrain", "--out", out.toString(), "--resume");
        assertEquals(0, again.status(), again.err());
        assertTrue(again.out().contains("nothing to train: the run is complete"), again.out());

        // other settings than the checkpoint's: refused, and the saved flags stay as they were
        CliRun other = CliRun.of("pretrain", "--out", out.toString(), "--resume", "--lr", "0.3");
        assertEquals(2, other.status(), other.err());
        assertTrue(other.err().contains("written by a run with other settings"), other.err());
        assertEquals(saved, Files.readString(out.resolve("config.json")));
    }

    /** --stop-at as in the other training commands: a session ends after that update, --resume continues it. */
    @Test
    void stopAtThenResume(@TempDir Path dir) throws Exception {
        assumeTrue(MnistLayout.isComplete(MnistLayout.SYSTEM_FASHION_MNIST), "Fashion-MNIST not installed");
        Path out = dir.resolve("run");
        CliRun first = CliRun.of("pretrain", "--out", out.toString(), "--samples", "16", "--iter-size", "2",
                "--limit-train", "16", "--limit-test", "8", "--stop-at", "3", "--wd", "0");
        assertEquals(0, first.status(), first.err());
        assertEquals("stopped at update 3 of 8: continue with --resume\n", first.out(), "said as by every trainer");
        assertEquals(1 + 3, Files.readAllLines(out.resolve("train_log.csv")).size(), "stopped after update 3");
        assertTrue(Files.readString(out.resolve("config.json")).contains("\"weight-decay\": \"0\""),
                "recorded under the current name");
        CliRun rest = CliRun.of("pretrain", "--out", out.toString(), "--resume");
        assertEquals(0, rest.status(), rest.err());
        assertTrue(rest.out().startsWith("test error"), rest.out());
        assertEquals(1 + 8, Files.readAllLines(out.resolve("train_log.csv")).size(), "16 samples / 2 = 8 updates");
    }
}
