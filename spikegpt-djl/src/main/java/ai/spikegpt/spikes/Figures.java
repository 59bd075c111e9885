package ai.spikegpt.spikes;

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
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.AxesChartStyler;
import org.knowm.xchart.style.Styler;

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
     * Labels integer x positions with their tokens (when there are few enough to read) or with
     * the position.
     *
     * @param styler the chart's styler
     * @param tokens the token strings, or null
     * @param count the number of positions
     * @param plotWidth the approximate plot width in pixels
     */
    static void tokenAxis(AxesChartStyler styler, List<String> tokens, int count, int plotWidth) {
        boolean labelled = tokens != null && count <= MAX_LABELLED_TOKENS;
        Function<Double, String> format =
                x -> {
                    long i = Math.round(x);
                    if (Math.abs(x - i) > 1e-6 || i < 0 || i >= count) {
                        return " ";
                    }
                    return labelled ? tokens.get((int) i) : Long.toString(i);
                };
        styler.setxAxisTickLabelsFormattingFunction(format);
        if (labelled) {
            styler.setXAxisTickMarkSpacingHint(Math.max(8, plotWidth / Math.max(1, count) - 2));
            styler.setXAxisLabelRotation(count > 24 ? 90 : 0);
            styler.setAxisTickLabelsFont(new Font(Font.MONOSPACED, Font.PLAIN, 12));
        }
        styler.setXAxisMin(-0.5);
        styler.setXAxisMax(count - 0.5);
    }

    /**
     * Makes a token readable on an axis: whitespace and control characters become visible
     * symbols.
     *
     * @param token the decoded token
     * @return the label
     */
    static String visible(String token) {
        StringBuilder sb = new StringBuilder();
        token.codePoints().forEach(cp -> {
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
        int width = 0;
        int height = 0;
        for (Chart<?, ?> c : charts) {
            width = Math.max(width, c.getWidth());
            height += c.getHeight();
        }
        BufferedImage out = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width, height);
        int y = 0;
        for (Chart<?, ?> c : charts) {
            g.drawImage(BitmapEncoder.getBufferedImage(c), 0, y, null);
            y += c.getHeight();
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
        if (!ImageIO.write(image, "png", file.toFile())) {
            throw new IOException("no PNG writer available to write " + file);
        }
        return file;
    }
}
