package ai.wsbcn.util;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

class TextLinesTest {

    @Test
    void aByteOrderMarkAndWindowsLineEndsAreNotPartOfTheLines(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("train.txt");
        Files.write(f, "\uFEFFtrain_000001\r\ntrain_000002\r\n".getBytes(StandardCharsets.UTF_8));
        assertEquals(List.of("train_000001", "train_000002"), TextLines.read(f));
        Path plain = dir.resolve("plain.txt");
        Files.writeString(plain, "a\nb");
        assertEquals(List.of("a", "b"), TextLines.read(plain));
    }
}
