package ai.wsbcn.util;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

class AtomicFilesTest {

    @Test
    void aFailedWriteKeepsTheOldFileAndLeavesNoTemporary(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("checkpoint.bin");
        AtomicFiles.writeString(f, "old");
        assertThrows(IOException.class, () -> AtomicFiles.write(f, out -> {
            out.write("half".getBytes());
            throw new IOException("disk full");
        }));
        assertEquals("old", Files.readString(f));
        try (var files = Files.list(dir)) {
            assertEquals(List.of(f), files.toList());
        }
    }

    /** What a process killed during a write leaves behind is removed by the next write of the same file. */
    @Test
    void leftoversOfAKilledWriterAreRemoved(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("checkpoint.bin");
        Files.writeString(dir.resolve(".checkpoint.bin.123.tmp"), "killed half-way");
        Files.writeString(dir.resolve(".checkpoint.bin.456.tmp"), "killed again");
        Files.writeString(dir.resolve(".other.bin.1.tmp"), "another file's: kept");
        AtomicFiles.writeString(f, "new");
        assertEquals("new", Files.readString(f));
        try (var files = Files.list(dir)) {
            List<String> names = files.map(p -> p.getFileName().toString()).sorted().toList();
            assertEquals(List.of(".other.bin.1.tmp", "checkpoint.bin"), names);
        }
        assertTrue(Files.exists(dir.resolve(".other.bin.1.tmp")));
    }
}
