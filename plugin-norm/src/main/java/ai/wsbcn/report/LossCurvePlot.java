package ai.wsbcn.report;

import ai.wsbcn.util.AtomicFiles;

import javax.imageio.ImageIO;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Draws loss curves (one series per loss name, raw values faint and an exponential moving average bold) against the
 * update index into a PNG, headless (java.awt without a display).
 */
public final class LossCurvePlot {

    private static final Color[] PALETTE = {new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c),
        new Color(0xff7f0e), new Color(0x9467bd), new Color(0x8c564b), new Color(0xe377c2)};

    private final Map<String, List<double[]>> series = new LinkedHashMap<>();
    private final String title;

    public LossCurvePlot(String title) {
        this.title = title;
    }

    /**
     * Plots the named columns of a training log (a {@link CsvLog} file: a header, then the step in the first column)
     * into {@code png}, one series per column, so that every trainer draws its {@code loss_curve.png} alike. A log
     * with no row yet, or one that cannot be read, is skipped: the plot is a convenience, the CSV has the numbers.
     */
    public static void plotLog(Path csv, Path png, String title, List<String> columns, int width, int height) {
        try {
            List<String> lines = Files.readAllLines(csv, StandardCharsets.UTF_8);
            if (lines.size() < 2) {
                return;
            }
            List<String> header = List.of(lines.get(0).split(","));
            LossCurvePlot plot = new LossCurvePlot(title);
            for (String line : lines.subList(1, lines.size())) {
                String[] f = line.split(",");
                long step = Long.parseLong(f[0]);
                for (String c : columns) {
                    plot.add(c, step, Double.parseDouble(f[header.indexOf(c)]));
                }
            }
            plot.write(png, width, height);
        } catch (IOException | RuntimeException e) {
            // a convenience: the CSV has the numbers
        }
    }

    /** Adds a point to the series {@code name}. */
    public void add(String name, long update, double value) {
        if (Double.isFinite(value)) {
            series.computeIfAbsent(name, k -> new ArrayList<>()).add(new double[] {update, value});
        }
    }

    /** Writes the plot atomically to {@code file} (PNG, width x height pixels). */
    public void write(Path file, int width, int height) throws IOException {
        System.setProperty("java.awt.headless", "true");
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width, height);
        int left = 70;
        int right = width - 20;
        int top = 40;
        int bottom = height - 50;
        double xMin = Double.MAX_VALUE;
        double xMax = -Double.MAX_VALUE;
        double yMin = Double.MAX_VALUE;
        double yMax = -Double.MAX_VALUE;
        for (List<double[]> s : series.values()) {
            for (double[] p : s) {
                xMin = Math.min(xMin, p[0]);
                xMax = Math.max(xMax, p[0]);
                yMin = Math.min(yMin, p[1]);
                yMax = Math.max(yMax, p[1]);
            }
        }
        if (series.isEmpty()) {
            xMin = 0;
            xMax = 1;
            yMin = 0;
            yMax = 1;
        }
        yMin = Math.min(0, yMin);
        if (xMax == xMin) {
            xMax = xMin + 1;
        }
        if (yMax == yMin) {
            yMax = yMin + 1;
        }
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
        g.drawString(title, left, 24);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        g.drawLine(left, bottom, right, bottom);
        g.drawLine(left, top, left, bottom);
        for (int i = 0; i <= 4; i++) {
            double yv = yMin + (yMax - yMin) * i / 4;
            int y = (int) (bottom - (bottom - top) * i / 4.0);
            g.setColor(new Color(0xdddddd));
            g.drawLine(left + 1, y, right, y);
            g.setColor(Color.BLACK);
            g.drawString(String.format(Locale.ROOT, "%.3g", yv), 8, y + 4);
            double xv = xMin + (xMax - xMin) * i / 4;
            int x = (int) (left + (right - left) * i / 4.0);
            g.drawString(String.format(Locale.ROOT, "%.0f", xv), x - 10, bottom + 16);
        }
        g.drawString("update", (left + right) / 2 - 20, bottom + 34);
        int c = 0;
        for (Map.Entry<String, List<double[]>> e : series.entrySet()) {
            Color color = PALETTE[c % PALETTE.length];
            drawSeries(g, e.getValue(), color, xMin, xMax, yMin, yMax, left, right, top, bottom);
            g.setColor(color);
            g.fillRect(right - 150, top + 6 + 16 * c, 10, 10);
            g.setColor(Color.BLACK);
            g.drawString(e.getKey(), right - 135, top + 15 + 16 * c);
            c++;
        }
        g.dispose();
        AtomicFiles.write(file, out -> ImageIO.write(img, "png", out));
    }

    private static void drawSeries(Graphics2D g, List<double[]> pts, Color color, double xMin, double xMax,
            double yMin, double yMax, int left, int right, int top, int bottom) {
        double alpha = Math.min(0.3, 20.0 / Math.max(1, pts.size()));
        double ema = pts.isEmpty() ? 0 : pts.get(0)[1];
        int[] px = new int[pts.size()];
        int[] praw = new int[pts.size()];
        int[] pema = new int[pts.size()];
        for (int i = 0; i < pts.size(); i++) {
            double[] p = pts.get(i);
            ema = i == 0 ? p[1] : ema + alpha * (p[1] - ema);
            px[i] = (int) (left + (right - left) * (p[0] - xMin) / (xMax - xMin));
            praw[i] = (int) (bottom - (bottom - top) * (p[1] - yMin) / (yMax - yMin));
            pema[i] = (int) (bottom - (bottom - top) * (ema - yMin) / (yMax - yMin));
        }
        g.setColor(new Color(color.getRed(), color.getGreen(), color.getBlue(), 70));
        g.setStroke(new BasicStroke(1f));
        g.drawPolyline(px, praw, px.length);
        g.setColor(color);
        g.setStroke(new BasicStroke(2.2f));
        g.drawPolyline(px, pema, px.length);
        if (pts.size() < 3) {
            // a line needs two points; a short run's one or two values are still shown
            for (int i = 0; i < pts.size(); i++) {
                g.fillOval(px[i] - 4, praw[i] - 4, 9, 9);
            }
        }
    }
}
