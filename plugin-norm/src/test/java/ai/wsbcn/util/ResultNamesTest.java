package ai.wsbcn.util;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Hand-worked result names of the predict commands. */
class ResultNamesTest {

    @Test
    void sharedNamesKeepTheirExtensionAndAreNumberedIfStillShared() {
        // a.jpg and A.png share "a" (without case); the second /j/a.jpg then shares "a.jpg" too
        assertEquals(List.of("a.jpg", "A.png", "c", "a.jpg-2", "noext"), ResultNames.stems(List.of(
                Path.of("/i/a.jpg"), Path.of("/i/A.png"), Path.of("/i/c.jpeg"), Path.of("/j/a.jpg"),
                Path.of("/i/noext"))));
    }

    @Test
    void aResultOverAnInputIsRefusedAlsoThroughALink(@TempDir Path dir) throws Exception {
        Path photo = Files.write(dir.resolve("photo.png"), new byte[] {1});
        Path link = Files.createSymbolicLink(dir.resolve("link.png"), photo);
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> ResultNames.refuseOverwritingInputs(List.of(photo), List.of(link)));
        assertTrue(e.getMessage().startsWith(photo + ": would be overwritten by the result " + link), e.getMessage());
        assertDoesNotThrow(() -> ResultNames.refuseOverwritingInputs(List.of(photo),
                List.of(dir.resolve("photo_overlay.jpg"), dir.resolve("other.png"))));
    }
}
