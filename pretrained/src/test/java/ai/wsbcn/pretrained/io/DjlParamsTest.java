package ai.wsbcn.pretrained.io;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.wsbcn.norm.NormSpec;
import ai.wsbcn.norm.testing.TestEngines;
import ai.wsbcn.pretrained.backbone.ResNet;
import ai.wsbcn.pretrained.backbone.ResNetArch;
import ai.wsbcn.pretrained.backbone.ResNets;
import ai.wsbcn.util.InvalidInputException;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.DataOutputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** DJL .params round trip: export a resnet8, import it by (arch, norm), tensors bit-identical (tolerance 0). */
class DjlParamsTest {

    @TempDir
    Path tmp;

    @ParameterizedTest
    @MethodSource("ai.wsbcn.norm.testing.TestEngines#names")
    void exportedParamsReadBackExactly(String engine) throws Exception {
        NormSpec norm = NormSpec.parse("gn(4)+ws");
        try (NDManager m = TestEngines.manager(engine)) {
            ResNet model = ResNets.builder().setArch("resnet8").setNorm(norm).optNumClasses(10).build();
            model.initialize(m, DataType.FLOAT32, new Shape(1, 3, 32, 32));
            Map<String, TensorData> expected = StateDicts.of(model);
            Path file = tmp.resolve("r8-" + engine + ".params");
            try (OutputStream out = Files.newOutputStream(file)) {
                model.saveParameters(new DataOutputStream(out));
            }

            Map<String, TensorData> read = DjlParams.read(file, ResNetArch.of("resnet8"), norm, m);

            assertEquals(expected.keySet(), read.keySet());
            for (String k : expected.keySet()) {
                assertArrayEquals(expected.get(k).shape(), read.get(k).shape(), k);
                assertArrayEquals(expected.get(k).toFloats(), read.get(k).toFloats(), 0f, k);
            }

            byte[] bytes = Files.readAllBytes(file);
            Path truncated = tmp.resolve("cut-" + engine + ".params");
            Files.write(truncated, Arrays.copyOf(bytes, bytes.length / 2));
            InvalidInputException e = assertThrows(InvalidInputException.class,
                    () -> DjlParams.read(truncated, ResNetArch.of("resnet8"), norm, m));
            assertTrue(e.getMessage().contains(truncated.toString()), e.getMessage());

            InvalidInputException noArch = assertThrows(InvalidInputException.class,
                    () -> DjlParams.read(file, null, norm, m));
            assertTrue(noArch.getMessage().contains("--arch"), noArch.getMessage());
        }
    }
}
