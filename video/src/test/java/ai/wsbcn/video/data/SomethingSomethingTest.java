package ai.wsbcn.video.data;

import ai.wsbcn.util.InvalidInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The labels/split CSV readers and the generic list file, on small folders made here (frames are empty files). */
class SomethingSomethingTest {

    @TempDir
    Path root;

    private void frames(String id, int n) throws IOException {
        Path dir = root.resolve(SomethingSomething.FRAMES_DIR).resolve(id);
        Files.createDirectories(dir);
        for (int i = 1; i <= n; i++) {
            Files.createFile(dir.resolve(String.format("%05d.jpg", i)));
        }
    }

    private void write(String name, String text) throws IOException {
        Files.writeString(root.resolve(name), text);
    }

    @Test
    void readsSplitAndReportsMissingAndEmptyFolders() throws IOException {
        write(SomethingSomething.LABELS_FILE, "Holding something\nPushing something from left to right\n\n");
        write("something-something-v1-train.csv",
                "100;Pushing something from left to right\n101;Holding something\n102;Holding something\n"
                        + "103;Holding something\n");
        frames("100", 37);
        frames("101", 12);
        frames("103", 0); // empty folder; 102 has no folder at all
        VideoList list = SomethingSomething.read(root, SomethingSomething.Split.TRAIN);
        assertEquals(List.of("Holding something", "Pushing something from left to right"), list.classes());
        assertEquals(2, list.size());
        assertEquals(new VideoRecord("100", root.resolve(SomethingSomething.FRAMES_DIR).resolve("100"), 37, 1),
                list.videos().get(0));
        assertEquals(12, list.videos().get(1).numFrames());
        assertEquals(0, list.videos().get(1).label());
        assertEquals(2, list.skipped().size());
        assertEquals("102", list.skipped().get(0).id());
        assertEquals(3, list.skipped().get(0).line());
        assertTrue(list.skipped().get(0).reason().contains("does not exist"), list.skipped().get(0).reason());
        assertEquals("103", list.skipped().get(1).id());
        assertTrue(list.skipped().get(1).reason().contains("no frame 00001.jpg"), list.skipped().get(1).reason());
    }

    @Test
    void v1ClassesAreNumberedInSortedOrderAsTsmDoes() throws IOException {
        // TSM's gen_label_sthv1.py sorts the labels file's names; label 0 is the first in sorted order
        write(SomethingSomething.LABELS_FILE, "Turning something upside down\nHolding something\nPushing something\n");
        write("something-something-v1-validation.csv", "5;Turning something upside down\n6;Holding something\n");
        frames("5", 3);
        frames("6", 3);
        VideoList list = SomethingSomething.read(root, SomethingSomething.Split.VALIDATION);
        assertEquals(List.of("Holding something", "Pushing something", "Turning something upside down"),
                list.classes());
        assertEquals(2, list.videos().get(0).label());
        assertEquals(0, list.videos().get(1).label());
    }

    @Test
    void gapEndsTheFrameCount() throws IOException {
        frames("7", 5);
        Path dir = root.resolve(SomethingSomething.FRAMES_DIR).resolve("7");
        Files.createFile(dir.resolve("notes.txt"));
        assertEquals(5, FrameFolders.countFrames(dir, FrameFolders.SS_TEMPLATE), "a stray file is not a frame");
        Files.delete(dir.resolve("notes.txt"));
        Files.delete(dir.resolve("00004.jpg"));
        assertEquals(3, FrameFolders.countFrames(dir, FrameFolders.SS_TEMPLATE), "frames after a gap are not used");
    }

    @Test
    void gapsAreReportedAndZeroBasedFoldersExplained() throws IOException {
        write(SomethingSomething.LABELS_FILE, "A\n");
        write("something-something-v1-train.csv", "1;A\n2;A\n3;A\n");
        frames("1", 50);
        Path one = root.resolve(SomethingSomething.FRAMES_DIR).resolve("1");
        Files.delete(one.resolve("00021.jpg"));
        Files.delete(one.resolve("00022.jpg"));
        frames("2", 10);
        Files.createFile(root.resolve(SomethingSomething.FRAMES_DIR).resolve("2").resolve("Thumbs.db"));
        Path zero = root.resolve(SomethingSomething.FRAMES_DIR).resolve("3");
        Files.createDirectories(zero);
        Files.createFile(zero.resolve("00000.jpg"));
        VideoList list = SomethingSomething.read(root, SomethingSomething.Split.TRAIN);
        assertEquals(20, list.videos().get(0).numFrames());
        assertEquals(10, list.videos().get(1).numFrames(), "a stray file is no gap");
        assertEquals(1, list.shortened().size());
        assertEquals(root.resolve("something-something-v1-train.csv") + ":1: video 1: frames 1..20, then frame"
                + " 00021.jpg is missing: the later ones are not used", list.shortened().get(0).toString());
        assertTrue(list.skipped().get(0).reason().endsWith("has no frame 00001.jpg (its frames start at 00000.jpg;"
                + " they are numbered from 1)"), list.skipped().get(0).reason());
    }

    @Test
    void unknownLabelNamesFileAndLine() throws IOException {
        write(SomethingSomething.LABELS_FILE, "A\nB\n");
        write("something-something-v1-validation.csv", "1;A\n2;C\n");
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> SomethingSomething.read(root, SomethingSomething.Split.VALIDATION));
        assertTrue(e.getMessage().contains("something-something-v1-validation.csv:2"), e.getMessage());
        assertTrue(e.getMessage().contains("'C'"), e.getMessage());
    }

    @Test
    void malformedLinesAndDuplicateClassesAreErrors() throws IOException {
        write(SomethingSomething.LABELS_FILE, "A\nB\nA\n");
        InvalidInputException dup = assertThrows(InvalidInputException.class,
                () -> SomethingSomething.readLabels(root.resolve(SomethingSomething.LABELS_FILE)));
        assertTrue(dup.getMessage().contains(":3:") && dup.getMessage().contains("line 1"), dup.getMessage());
        write("split.csv", "1;A\n2 A\n");
        InvalidInputException bad = assertThrows(InvalidInputException.class,
                () -> SomethingSomething.readSplit(root.resolve("split.csv"), List.of("A"), root, "%05d.jpg"));
        assertTrue(bad.getMessage().contains("split.csv:2"), bad.getMessage());
        write("twice.csv", "\uFEFF1;A\r\n2;A\r\n1;B\r\n");
        InvalidInputException twice = assertThrows(InvalidInputException.class,
                () -> SomethingSomething.readSplit(root.resolve("twice.csv"), List.of("A", "B"), root, "%05d.jpg"));
        assertTrue(twice.getMessage().endsWith("twice.csv:3: video 1 is listed again (line 1)"), twice.getMessage());
        write("empty.csv", "\n\n");
        InvalidInputException empty = assertThrows(InvalidInputException.class,
                () -> SomethingSomething.readSplit(root.resolve("empty.csv"), List.of("A"), root, "%05d.jpg"));
        assertTrue(empty.getMessage().endsWith("empty.csv: the split lists no video"), empty.getMessage());
        InvalidInputException missing = assertThrows(InvalidInputException.class,
                () -> SomethingSomething.read(root.resolve("nope"), SomethingSomething.Split.TRAIN));
        assertTrue(missing.getMessage().contains("nope"), missing.getMessage());
    }

    @Test
    void genericListFile() throws IOException {
        frames("a", 3);
        Path frameRoot = root.resolve(SomethingSomething.FRAMES_DIR);
        write("list.txt", "a 30 4\n\nb 12 1\nc 0 2\n");
        VideoList list = VideoListFile.read(root.resolve("list.txt"), frameRoot, "%05d.jpg", null);
        assertEquals(1, list.size());
        // the list says 30 frames but the folder holds 3: the folder's count is used and reported
        assertEquals(new VideoRecord("a", frameRoot.resolve("a"), 3, 4), list.videos().get(0));
        assertEquals(List.of(new ShortenedVideo(root.resolve("list.txt").toString(), 1, "a", 3,
                "num_frames 30, but its folder has frames 1..3 only")), list.shortened());
        assertEquals(List.of("0", "1", "2", "3", "4"), list.classes());
        assertEquals(2, list.skipped().size());
        assertEquals(3, list.skipped().get(0).line());
        assertEquals("num_frames is 0", list.skipped().get(1).reason());
        write("bad.txt", "a 30\n");
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> VideoListFile.read(root.resolve("bad.txt"), frameRoot, "%05d.jpg", null));
        assertTrue(e.getMessage().contains("bad.txt:1") && e.getMessage().contains("2 fields"), e.getMessage());
        write("bad2.txt", "a x 1\n");
        InvalidInputException e2 = assertThrows(InvalidInputException.class,
                () -> VideoListFile.read(root.resolve("bad2.txt"), frameRoot, "%05d.jpg", null));
        assertTrue(e2.getMessage().contains("num_frames"), e2.getMessage());
        InvalidInputException e3 = assertThrows(InvalidInputException.class,
                () -> VideoListFile.read(root.resolve("list.txt"), frameRoot, "%05d.jpg", List.of("x", "y")));
        assertTrue(e3.getMessage().contains("list.txt:1") && e3.getMessage().contains("label 4"), e3.getMessage());
    }

    @Test
    void listCountsThatIncludeStrayFilesAreCorrectedFromTheFolder() throws IOException {
        // TSM's gen_label scripts write len(os.listdir(folder)): a .DS_Store makes 13 out of 12 frames
        frames("v", 12);
        Path frameRoot = root.resolve(SomethingSomething.FRAMES_DIR);
        Files.createFile(frameRoot.resolve("v").resolve(".DS_Store"));
        frames("w", 12);
        write("list.txt", "v 13 0\nw 10 1\n");
        VideoList list = VideoListFile.read(root.resolve("list.txt"), frameRoot, "%05d.jpg", List.of("A", "B"));
        assertEquals(12, list.videos().get(0).numFrames());
        assertEquals(10, list.videos().get(1).numFrames(), "a count below the folder's is the list's choice (TSM)");
        assertEquals(1, list.shortened().size());
        assertEquals(root.resolve("list.txt") + ":1: video v: num_frames 13, but its folder has frames 1..12 only",
                list.shortened().get(0).toString());
        assertEquals("%05d.jpg", list.template());

        // a gap inside the listed count: the run before it is used, and a skipped video's label still makes a class
        Files.delete(frameRoot.resolve("w").resolve("00005.jpg"));
        write("gap.txt", "w 10 0\nmissing 10 3\n");
        VideoList gap = VideoListFile.read(root.resolve("gap.txt"), frameRoot, "%05d.jpg", null);
        assertEquals(4, gap.videos().get(0).numFrames());
        assertEquals(root.resolve("gap.txt") + ":1: video w: num_frames 10, but its folder has frames 1..4 before a"
                + " gap (00005.jpg is missing)", gap.shortened().get(0).toString());
        assertEquals(List.of("0", "1", "2", "3"), gap.classes());
    }

    @Test
    void handMadeFrameNamesEqualStringFormat() {
        for (String t : List.of("%05d.jpg", "%06d.jpg", "img_%05d.jpg", "%d.png", "frame%3d.jpg", "a%%b%04d.jpg",
                "%s.jpg", "x/%05d.jpg")) {
            var namer = FrameFolders.namer(t);
            for (int i : new int[] {0, 1, 9, 10, 99, 12345, 999999, 1234567}) {
                assertEquals(String.format(java.util.Locale.ROOT, t, i), namer.apply(i), t + " " + i);
            }
        }
    }

    @Test
    void frameTemplatesInPrintfOrTsmPythonSyntax() {
        assertEquals("%05d.jpg", FrameFolders.parseTemplate("%05d.jpg"));
        assertEquals("%06d.jpg", FrameFolders.parseTemplate("{:06d}.jpg"));
        assertEquals("img_%05d.jpg", FrameFolders.parseTemplate("img_{:05d}.jpg"));
        assertEquals("%d.png", FrameFolders.parseTemplate("{}.png"));
        assertEquals("frame%d.png", FrameFolders.parseTemplate("frame{:d}.png"));
        for (String bad : List.of("frame.jpg", "%d_%d.jpg", "{:06d}_{:06d}.jpg", "%q.jpg")) {
            InvalidInputException e = assertThrows(InvalidInputException.class, () -> FrameFolders.parseTemplate(bad),
                    bad);
            assertTrue(e.getMessage().contains("'" + bad + "'"), e.getMessage());
        }
    }
}
