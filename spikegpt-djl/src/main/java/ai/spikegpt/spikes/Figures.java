package ai.spikegpt.spikes;

import ai.spikegpt.files.AtomicFiles;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;
import javax.imageio.ImageIO;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.AxesChartStyler;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.XYStyler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * What the spike plots share: headless AWT, one style, token labels on the x axis, and stacking
 * several charts into one PNG.
 */
final class Figures {

    /** Tokens up to which every token is written on the x axis; beyond, positions are. */
    static final int MAX_LABELLED_TOKENS = 64;

    static final Color SPIKE = new Color(0xC0392B);
    static final Color LIF1 = new Color(0x2E86C1);
    static final Color LIF2 = new Color(0xE67E22);
    static final Color HIDDEN = new Color(0x27AE60);

    private Figures() {}

    /** Makes AWT headless unless the application chose otherwise; call before any chart exists. */
    static void headless() {
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
    }

    /** Applies the common style. */
    static void style(Chart<? extends Styler, ?> chart) {
        Styler s = chart.getStyler();
        s.setChartBackgroundColor(Color.WHITE);
        s.setPlotBackgroundColor(Color.WHITE);
        s.setChartTitleFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
        s.setLegendFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        s.setAntiAlias(true);
        if (s instanceof AxesChartStyler a) {
            a.setAxisTitleFont(new Font(Font.SANS_SERIF, Font.PLAIN, 14));
            a.setAxisTickLabelsFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
            a.setPlotGridLinesColor(new Color(0xDDDDDD));
        }
    }

    /**
     * Labels integer x positions with their tokens (when there are few enough to read), or leaves
     * XChart's numeric position ticks.
     *
     * @param chart the chart
     * @param tokens the token strings, or null
     * @param count the number of positions
     * @param plotWidth the approximate plot width in pixels
     * @param anchorY a y value inside the plotted range
     */
    static void tokenAxis(
            XYChart chart, List<String> tokens, int count, int plotWidth, double anchorY) {
        XYStyler styler = chart.getStyler();
        if (tokens == null || count > MAX_LABELLED_TOKENS) {
            // positions on round numbers: XChart labels every k-th point of equally spaced x
            // values,
            // which crowds long axes; an invisible point at x = 0.5 makes it choose round ticks
            styler.setXAxisDecimalPattern("0");
            XYSeries anchor =
                    chart.addSeries(
                            "\u200B", new double[] {0, 0.5}, new double[] {anchorY, anchorY});
            anchor.setShowInLegend(false);
            anchor.setMarker(SeriesMarkers.NONE);
            anchor.setLineColor(new Color(0, 0, 0, 0));
            return;
        }
        // XChart thins out repeated tick labels; zero-width spaces make repeated tokens distinct
        List<String> unique = new java.util.ArrayList<>();
        java.util.Map<String, Integer> seen = new java.util.HashMap<>();
        for (int t = 0; t < count; t++) {
            int n = seen.merge(tokens.get(t), 1, Integer::sum) - 1;
            unique.add(tokens.get(t) + "\u200B".repeat(n));
        }
        Function<Double, String> format =
                x -> {
                    long i = Math.round(x);
                    return Math.abs(x - i) > 1e-6 || i < 0 || i >= count
                            ? " "
                            : unique.get((int) i);
                };
        styler.setxAxisTickLabelsFormattingFunction(format);
        int perToken = plotWidth / Math.max(1, count);
        styler.setXAxisTickMarkSpacingHint(Math.max(6, perToken / 2));
        styler.setXAxisLabelRotation(rotateLabels(tokens, count, perToken) ? 90 : 0);
        styler.setAxisTickLabelsFont(new Font(Font.MONOSPACED, Font.PLAIN, 12));
    }

    /**
     * Returns whether token labels must be written vertically: when the longest does not fit in its
     * column.
     *
     * @param tokens the labels
     * @param count how many are shown
     * @param perToken the column width in pixels
     * @return whether to rotate
     */
    static boolean rotateLabels(List<String> tokens, int count, int perToken) {
        int longest = 1;
        for (int t = 0; t < count; t++) {
            longest = Math.max(longest, tokens.get(t).codePointCount(0, tokens.get(t).length()));
        }
        return 8 * longest > perToken - 4;
    }

    /**
     * Makes a token readable on an axis: whitespace and control characters become visible symbols.
     *
     * @param token the decoded token
     * @return the label
     */
    static String visible(String token) {
        StringBuilder sb = new StringBuilder();
        token.codePoints()
                .forEach(
                        cp -> {
                            switch (cp) {
                                case ' ' -> sb.append('\u2423'); // open box
                                case '\n' -> sb.append('\u21B5'); // return arrow
                                case '\t' -> sb.append('\u2192');
                                default -> {
                                    if (Character.isISOControl(cp)) {
                                        sb.append(String.format("\\x%02x", cp));
                                    } else {
                                        sb.appendCodePoint(cp);
                                    }
                                }
                            }
                        });
        String s = sb.length() == 0 ? "\u2205" : sb.toString();
        return s.length() > 12 ? s.substring(0, 11) + "\u2026" : s;
    }

    /** Renders charts one below the other. */
    static BufferedImage stack(List<? extends Chart<?, ?>> charts) {
        List<BufferedImage> images = new java.util.ArrayList<>();
        for (Chart<?, ?> c : charts) {
            images.add(BitmapEncoder.getBufferedImage(c));
        }
        return stackImages(images);
    }

    /** Puts images one below the other on white. */
    static BufferedImage stackImages(List<BufferedImage> images) {
        int width = 0;
        int height = 0;
        for (BufferedImage i : images) {
            width = Math.max(width, i.getWidth());
            height += i.getHeight();
        }
        BufferedImage out = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width, height);
        int y = 0;
        for (BufferedImage i : images) {
            g.drawImage(i, 0, y, null);
            y += i.getHeight();
        }
        g.dispose();
        return out;
    }

    /** Writes a PNG, creating the folder. */
    static Path write(BufferedImage image, Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        return AtomicFiles.write(
                file,
                tmp -> {
                    if (!ImageIO.write(image, "png", tmp.toFile())) {
                        throw new IOException("no PNG writer available to write " + file);
                    }
                });
    }
}
