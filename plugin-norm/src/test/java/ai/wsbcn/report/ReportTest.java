package ai.wsbcn.report;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReportTest {

    @Test
    void csvLogResumesWithoutDuplicatedUpdates(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("log.csv");
        try (CsvLog log = CsvLog.create(f, "update", "loss", "lr")) {
            for (int u = 0; u < 5; u++) {
                log.row(u, 1.0 / (u + 1), 0.1f);
            }
        }
        try (CsvLog log = CsvLog.resume(f, 3, "update", "loss", "lr")) {
            log.row(3, 0.2, 0.05f);
        }
        List<String> lines = Files.readAllLines(f);
        assertEquals(List.of("update,loss,lr", "0,1.00000,0.100000", "1,0.500000,0.100000", "2,0.333333,0.100000",
                "3,0.200000,0.0500000"), lines);
        assertThrows(IOException.class, () -> CsvLog.resume(f, 1, "update", "other"));
    }

    /** Rows after a resume point go, by the column that holds the step; a row without one is an error. */
    @Test
    void truncateAfterKeepsRowsUpToTheStepOfAnyColumn(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("eval_log.csv");
        Files.writeString(f, "epoch,step,top1\n1,28,0.5\n2,56,0.7\n3,84,0.8\n");
        List<String[]> kept = CsvLog.truncateAfter(f, 1, 56);
        assertEquals(List.of("1", "2"), kept.stream().map(r -> r[0]).toList());
        assertEquals(List.of("epoch,step,top1", "1,28,0.5", "2,56,0.7"), Files.readAllLines(f));
        assertEquals(List.of(), CsvLog.truncateAfter(dir.resolve("none.csv"), 0, 3));
        Files.writeString(f, "step,x\n1,2\nbad\n");
        IOException e = assertThrows(IOException.class, () -> CsvLog.truncateAfter(f, 0, 5));
        assertTrue(e.getMessage().contains("eval_log.csv:3"), e.getMessage());
    }

    @Test
    void lossCurveIsAPngWithCurvesDrawn(@TempDir Path dir) throws IOException {
        LossCurvePlot plot = new LossCurvePlot("demo");
        for (int u = 0; u < 200; u++) {
            plot.add("loss", u, 2.0 * Math.exp(-u / 50.0) + 0.1 * Math.sin(u));
            plot.add("loss_mask", u, 1.0 * Math.exp(-u / 80.0));
        }
        Path png = dir.resolve("loss.png");
        plot.write(png, 640, 400);
        BufferedImage img = ImageIO.read(png.toFile());
        assertEquals(640, img.getWidth());
        assertEquals(400, img.getHeight());
        int coloured = 0;
        for (int y = 0; y < 400; y += 2) {
            for (int x = 0; x < 640; x += 2) {
                int rgb = img.getRGB(x, y) & 0xffffff;
                int r = rgb >> 16;
                int g = (rgb >> 8) & 0xff;
                int b = rgb & 0xff;
                if (Math.max(r, Math.max(g, b)) - Math.min(r, Math.min(g, b)) > 60) {
                    coloured++;
                }
            }
        }
        assertTrue(coloured > 100, "curves drawn in colour: " + coloured);
    }

    /** A run of one log row still gets a plot with its point on it (a line needs two). */
    @Test
    void aSinglePointIsDrawn(@TempDir Path dir) throws Exception {
        int[] colouredLeftOfLegend = new int[2];
        for (int points = 0; points < 2; points++) {
            LossCurvePlot plot = new LossCurvePlot("one row");
            if (points == 1) {
                plot.add("loss", 20, 1.5);
            }
            Path png = dir.resolve("p" + points + ".png");
            plot.write(png, 640, 400);
            BufferedImage img = ImageIO.read(png.toFile());
            for (int y = 0; y < 400; y++) {
                for (int x = 0; x < 640 - 150 - 20; x++) { // the legend's swatch sits at the right
                    int rgb = img.getRGB(x, y) & 0xffffff;
                    int r = rgb >> 16;
                    int g = (rgb >> 8) & 0xff;
                    int b = rgb & 0xff;
                    if (Math.max(r, Math.max(g, b)) - Math.min(r, Math.min(g, b)) > 60) {
                        colouredLeftOfLegend[points]++;
                    }
                }
            }
        }
        assertEquals(0, colouredLeftOfLegend[0], "an empty plot has no colour");
        assertTrue(colouredLeftOfLegend[1] > 30, "the point: " + colouredLeftOfLegend[1]);
    }

    @Test
    void progressLineShowsCountsAndFields() {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        ProgressBar bar = new ProgressBar("train", 10, new PrintStream(buf, true, StandardCharsets.UTF_8), false, 5);
        bar.set("loss", "%.2f", 0.5);
        for (int i = 1; i <= 10; i++) {
            bar.update(i);
        }
        String out = buf.toString(StandardCharsets.UTF_8);
        String[] lines = out.split("\n");
        assertEquals(2, lines.length, out);
        assertTrue(lines[0].contains("5/10") && lines[0].contains(" 50%") && lines[0].contains("loss 0.50"), out);
        assertTrue(lines[1].contains("10/10") && lines[1].contains("100%"), out);
        assertNotEquals(lines[0], lines[1]);
        assertEquals("1:01:01", ProgressBar.clock(3661));
        assertEquals("02:05", ProgressBar.clock(125));
    }
}
