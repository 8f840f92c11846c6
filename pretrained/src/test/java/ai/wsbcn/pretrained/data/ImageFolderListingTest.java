package ai.wsbcn.pretrained.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.wsbcn.util.InvalidInputException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The class and sample lists against torchvision 0.14's {@code ImageFolder}; the expected lists were printed by
 * {@code ImageFolder(root).classes / .samples} on the same layout (/usr/bin/python3, torchvision 0.14).
 */
class ImageFolderListingTest {

    @TempDir
    Path root;

    private Path touch(String relative) throws Exception {
        Path p = root.resolve(relative);
        Files.createDirectories(p.getParent());
        return Files.writeString(p, "x");
    }

    private List<String> relativeImages(Path classDir) {
        return ImageFolderListing.images(classDir).stream().map(p -> classDir.relativize(p).toString()).toList();
    }

    @Test
    void filesComeFolderByFolderInTorchvisionsOrder() throws Exception {
        for (String f : new String[] {"cat/a.jpg", "cat/z.JPG", "cat/sub/y.png", "cat/sub-x/w.png",
                "cat/sub/deeper/q.PnG", "cat/.hidden.jpg", "cat/notes.txt", "cat/readme.jpgx", "cat/b.webp"}) {
            touch(f);
        }
        // sorted(os.walk(...)): the folder's own files first, then sub-folders by path string ('-' < '/')
        assertEquals(List.of(".hidden.jpg", "a.jpg", "b.webp", "z.JPG", "sub/y.png", "sub-x/w.png",
                "sub/deeper/q.PnG"), relativeImages(root.resolve("cat")));
    }

    @Test
    void symbolicLinksToClassFoldersSubFoldersAndFilesAreFollowed(@TempDir Path elsewhere) throws Exception {
        Files.createDirectories(elsewhere.resolve("linked/inner"));
        Files.writeString(elsewhere.resolve("linked/l1.jpg"), "x");
        Files.writeString(elsewhere.resolve("linked/inner/l2.jpg"), "x");
        Files.writeString(elsewhere.resolve("solo.jpg"), "x");
        touch("cat/a.jpg");
        Files.createSymbolicLink(root.resolve("linkcls"), elsewhere.resolve("linked"));
        Files.createSymbolicLink(root.resolve("cat/linksub"), elsewhere.resolve("linked"));
        Files.createSymbolicLink(root.resolve("cat/solo.jpg"), elsewhere.resolve("solo.jpg"));

        assertEquals(List.of("cat", "linkcls"), ImageFolderListing.classes(root));
        assertEquals(List.of("a.jpg", "solo.jpg", "linksub/l1.jpg", "linksub/inner/l2.jpg"),
                relativeImages(root.resolve("cat")));
        assertEquals(List.of("l1.jpg", "inner/l2.jpg"), relativeImages(root.resolve("linkcls")));
    }

    @Test
    void classesAreSortedByCodePointAsPythonDoes() throws Exception {
        // U+FF21 (fullwidth A) sorts before U+1F600 by code point, after it by UTF-16 unit (0xD83D < 0xFF21)
        for (String c : new String[] {"b", "B", "_u", "\uFF21", "\uD83D\uDE00", ".hidden"}) {
            touch(c + "/x.png");
        }
        assertEquals(List.of(".hidden", "B", "_u", "b", "\uFF21", "\uD83D\uDE00"), ImageFolderListing.classes(root));
    }

    @Test
    void aBrokenLinkIsNamed() throws Exception {
        touch("cat/a.jpg");
        Path link = Files.createSymbolicLink(root.resolve("cat/gone.jpg"), root.resolve("nowhere.jpg"));
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> ImageFolderListing.images(root.resolve("cat")));
        assertTrue(e.getMessage().contains(link.toString()) && e.getMessage().contains("broken symbolic link"),
                e.getMessage());
    }

    @Test
    void aLinkLoopIsNamed() throws Exception {
        touch("cat/a.jpg");
        Files.createSymbolicLink(root.resolve("cat/loop"), root.resolve("cat"));
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> ImageFolderListing.images(root.resolve("cat")));
        assertTrue(e.getMessage().contains("symbolic link loop") && e.getMessage().contains("loop"), e.getMessage());
    }
}
