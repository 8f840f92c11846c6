package ai.wsbcn.cli.pretrained;

import ai.wsbcn.cli.CliRun;
import ai.wsbcn.cli.Main;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** import -> list -> verify -> export through {@link Main#run}, and a refused file. */
class PretrainedCommandsTest {

    private static String[] out = new String[2];

    private static int run(String... args) {
        CliRun r = CliRun.of(args);
        out[0] = r.out();
        out[1] = r.err();
        return r.status();
    }

    private static Path resource(String name) throws Exception {
        return Path.of(PretrainedCommandsTest.class.getResource("/" + name).toURI());
    }

    @Test
    void importListVerifyExport(@TempDir Path dir) throws Exception {
        String reg = dir.resolve("reg").toString();
        // two of the five rename rules: 24 backbone tensors would be missing, so nothing is registered
        assertEquals(2, run("pretrained", "import", resource("resnet8_gn_ws.pth").toString(), "--name", "r8",
                "--arch", "resnet8", "--norm", "gn+ws", "--registry", reg, "--rename", "stem\\.=conv1.",
                "--rename", "n0\\.=bn1."));
        assertTrue(out[1].contains("resnet8_gn_ws.pth: does not fit a resnet8 gn+ws") && out[1].contains("missing")
                && out[1].contains("--allow-partial"), out[1]);
        assertTrue(!Files.exists(dir.resolve("reg").resolve("r8.safetensors")), "nothing stored");
        assertEquals(0, run("pretrained", "import", resource("resnet8_gn_ws.pth").toString(), "--name", "r8part",
                "--arch", "resnet8", "--norm", "gn+ws", "--registry", reg, "--rename", "stem\\.=conv1.",
                "--rename", "n0\\.=bn1.", "--allow-partial"), out[1]);
        assertEquals(1, run("pretrained", "verify", "r8part", "--registry", reg), "a partial entry fails verify");
        assertTrue(out[0].contains("missing in the file"), out[0]);

        int status = run("pretrained", "import", resource("resnet8_gn_ws.pth").toString(), "--name", "r8",
                "--arch", "resnet8", "--norm", "gn+ws", "--registry", reg,
                "--rename", "stem\\.=conv1.", "--rename", "n0\\.=bn1.", "--rename", "b(\\d)\\.c(\\d)\\.=layer$1.0.conv$2.",
                "--rename", "b(\\d)\\.n(\\d)\\.=layer$1.0.bn$2.", "--rename", "b(\\d)\\.short\\.=layer$1.0.downsample.");
        assertEquals(0, status, out[0] + out[1]);
        assertTrue(out[0].contains("loaded 29 tensors"), out[0]);
        assertEquals(0, run("pretrained", "list", "--registry", reg));
        assertTrue(out[0].contains("r8") && out[0].contains("resnet8") && out[0].contains("gn+ws"), out[0]);
        assertEquals(0, run("pretrained", "verify", "r8", "--registry", reg), out[0] + out[1]);
        assertTrue(out[0].contains("sha256 ok"), out[0]);
        Path npz = dir.resolve("r8.npz");
        assertEquals(0, run("pretrained", "export", "r8", "--format", "npz", "--out", npz.toString(), "--registry",
                reg), out[1]);
        assertTrue(Files.size(npz) > 100_000);
        Path params = dir.resolve("r8.params");
        assertEquals(0, run("pretrained", "export", "r8", "--format", "params", "--out", params.toString(),
                "--registry", reg), out[1]);
        assertTrue(Files.size(params) > 100_000);
        // a DJL .params file has no names: it is read into the (arch, norm) it was saved with
        assertEquals(2, run("pretrained", "import", params.toString(), "--name", "r8p", "--registry", reg));
        assertTrue(out[1].contains("--arch"), out[1]);
        assertEquals(0, run("pretrained", "import", params.toString(), "--name", "r8p", "--arch", "resnet8",
                "--norm", "gn+ws", "--registry", reg), out[0] + out[1]);
        assertEquals(0, run("pretrained", "verify", "r8p", "--registry", reg), out[0] + out[1]);

        // a changed file fails verification
        Path stored = dir.resolve("reg").resolve("r8.safetensors");
        byte[] bytes = Files.readAllBytes(stored);
        bytes[bytes.length - 1] ^= 1;
        Files.write(stored, bytes);
        assertEquals(2, run("pretrained", "verify", "r8", "--registry", reg));
        assertTrue(out[1].contains("sha256"), out[1]);
    }

    @Test
    void refusesAMaliciousPickleWithAClearReason(@TempDir Path dir) throws Exception {
        int status = run("pretrained", "import", resource("malicious.pth").toString(), "--name", "bad",
                "--registry", dir.toString());
        assertEquals(2, status);
        assertTrue(out[1].contains("refused") && out[1].contains("posix.system"), out[1]);
        assertTrue(!Files.exists(dir.resolve("index.json")), "nothing registered");
    }
}
