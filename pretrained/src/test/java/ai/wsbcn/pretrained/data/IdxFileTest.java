package ai.wsbcn.pretrained.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.wsbcn.util.InvalidInputException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

class IdxFileTest {

    @TempDir
    Path dir;

    private static final byte[] DATA = {0, 1, 2, (byte) 200, (byte) 255, 7};

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void readsPlainAndGzippedFilesAlike(boolean gzip) throws Exception {
        Path f = IdxFiles.write(dir.resolve("x"), IdxFiles.encode(new int[] {2, 3}, DATA), gzip);
        IdxFile idx = IdxFile.read(f);
        assertArrayEquals(new int[] {2, 3}, idx.dims());
        assertEquals(2, idx.count());
        assertEquals(3, idx.itemSize());
        assertEquals(200, idx.unsigned(3));
        assertEquals(255, idx.unsigned(4));
    }

    @Test
    void badMagicNamesTheFile() throws Exception {
        byte[] bytes = IdxFiles.encode(new int[] {2, 3}, DATA);
        bytes[0] = 0x50;
        Path f = IdxFiles.write(dir.resolve("bad-magic"), bytes, false);
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> IdxFile.read(f));
        assertTrue(e.getMessage().contains(f.toString()) && e.getMessage().contains("magic"), e.getMessage());
    }

    @Test
    void unsupportedTypeIsRefused() throws Exception {
        byte[] bytes = IdxFiles.encode(new int[] {2, 3}, DATA);
        bytes[2] = 0x0D; // float32
        Path f = IdxFiles.write(dir.resolve("floats"), bytes, false);
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> IdxFile.read(f));
        assertTrue(e.getMessage().contains("0x0d") && e.getMessage().contains(f.toString()), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void truncatedDataNamesTheFileAndTheCounts(boolean gzip) throws Exception {
        byte[] bytes = IdxFiles.encode(new int[] {2, 3}, DATA);
        Path f = IdxFiles.write(dir.resolve("short"), Arrays.copyOf(bytes, bytes.length - 2), gzip);
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> IdxFile.read(f));
        assertTrue(e.getMessage().contains(f.toString()) && e.getMessage().contains("need 6 data bytes, found 4"),
                e.getMessage());
    }

    @Test
    void truncatedHeaderIsReported() throws Exception {
        Path f = IdxFiles.write(dir.resolve("header"), new byte[] {0, 0, 8, 3, 0, 0}, false);
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> IdxFile.read(f));
        assertTrue(e.getMessage().contains("truncated IDX header"), e.getMessage());
    }

    @Test
    void truncatedGzipStreamIsReported() throws Exception {
        Path f = IdxFiles.write(dir.resolve("cut.gz"), IdxFiles.encode(new int[] {2, 3}, DATA), true);
        byte[] gz = Files.readAllBytes(f);
        Files.write(f, Arrays.copyOf(gz, gz.length - 12));
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> IdxFile.read(f));
        assertTrue(e.getMessage().contains(f.toString()), e.getMessage());
    }

    @Test
    void trailingBytesAreAnError() throws Exception {
        byte[] bytes = IdxFiles.encode(new int[] {2, 3}, DATA);
        Path f = IdxFiles.write(dir.resolve("long"), Arrays.copyOf(bytes, bytes.length + 1), false);
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> IdxFile.read(f));
        assertTrue(e.getMessage().contains("unexpected data after"), e.getMessage());
    }

    @Test
    void missingFileIsReported() {
        Path f = dir.resolve("absent");
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> IdxFile.read(f));
        assertTrue(e.getMessage().contains(f.toString()), e.getMessage());
    }
}
