package ai.spikegpt.spikes;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A spike raster: one panel per traced block and neuron ({@code lif1}, {@code lif2}), a filled cell
 * at (token, neuron) for every spike, the tokens written under their columns. Wide models are cut
 * to their first {@code maxNeurons} channels (the panel title says so). Drawn with Java2D: a raster
 * is a grid of cells, which a scatter chart's square markers render poorly.
 */
public final class RasterPlot {

    private static final int WIDTH = 1400;
    private static final int LEFT = 90;
    private static final int RIGHT = 30;
    private static final int TOP = 44;
    private static final Font TITLE = new Font(Font.SANS_SERIF, Font.BOLD, 16);
    private static final Font AXIS = new Font(Font.SANS_SERIF, Font.PLAIN, 14);
    private static final Font TICK = new Font(Font.SANS_SERIF, Font.PLAIN, 12);
    private static final Font TOKEN = new Font(Font.MONOSPACED, Font.PLAIN, 13);

    private RasterPlot() {}

    /**
     * Writes the raster of every traced block.
     *
     * @param traces the monitor's traces
     * @param tokens the token labels of the traced positions (null: positions), see {@link #labels}
     * @param maxNeurons the most channels to show per panel
     * @param file the PNG to write
     * @return the file
     * @throws IOException if writing fails
     */
    public static Path write(SpikeTraces traces, List<String> tokens, int maxNeurons, Path file)
            throws IOException {
        Figures.headless();
        if (traces.layers().isEmpty() || traces.tokens() == 0) {
            throw new IllegalArgumentException(
                    "no traces to plot: build the monitor with optTraceLayers and run it");
        }
        List<BufferedImage> panels = new ArrayList<>();
        for (int layer : traces.layers()) {
            for (NeuronSite site : new NeuronSite[] {NeuronSite.LIF1, NeuronSite.LIF2}) {
                panels.add(panel(traces, layer, site, tokens, maxNeurons));
            }
        }
        return Figures.write(Figures.stackImages(panels), file);
    }

    private static BufferedImage panel(
            SpikeTraces traces, int layer, NeuronSite site, List<String> tokens, int maxNeurons) {
        int steps = traces.tokens();
        int width = traces.width();
        int shown = Math.min(width, Math.max(1, maxNeurons));
        float[] spikes = traces.spikes(layer, site);
        long total = 0;
        for (float s : spikes) {
            total += (long) s;
        }
        boolean labelled = tokens != null && steps <= Figures.MAX_LABELLED_TOKENS;
        int plotW = WIDTH - LEFT - RIGHT;
        double cellW = plotW / (double) steps;
        int cellH = Math.max(1, Math.min(8, 360 / shown));
        int plotH = cellH * shown;
        boolean rotate = labelled && maxWidth(tokens, steps) > cellW - 2;
        int labelH = rotate ? 14 + 8 * Math.min(12, maxLength(tokens, steps)) : 24;
        int height = TOP + plotH + labelH + 34;

        BufferedImage image = new BufferedImage(WIDTH, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(
                RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, WIDTH, height);

        String title =
                String.format(
                        Locale.ROOT,
                        "Block %d %s (%s): %d spikes, rate %.1f%% over %d tokens x %d neurons%s",
                        layer,
                        site.label(),
                        site == NeuronSite.LIF1 ? "after time mix" : "after channel mix",
                        total,
                        100.0 * total / ((double) steps * width),
                        steps,
                        width,
                        shown < width
                                ? String.format(Locale.ROOT, " (channels 0-%d shown)", shown - 1)
                                : "");
        g.setColor(Color.BLACK);
        g.setFont(TITLE);
        centre(g, title, LEFT + plotW / 2, 26);

        // token column bands, then the spikes
        for (int t = 0; t < steps; t += 2) {
            g.setColor(new Color(0xF4F6F7));
            g.fillRect(
                    LEFT + (int) Math.round(t * cellW),
                    TOP,
                    (int) Math.round((t + 1) * cellW) - (int) Math.round(t * cellW),
                    plotH);
        }
        g.setColor(site == NeuronSite.LIF1 ? Figures.LIF1 : Figures.LIF2);
        for (int t = 0; t < steps; t++) {
            int x0 = LEFT + (int) Math.round(t * cellW);
            int x1 = LEFT + (int) Math.round((t + 1) * cellW);
            int pad = x1 - x0 >= 6 ? 1 : 0;
            for (int c = 0; c < shown; c++) {
                if (spikes[t * width + c] != 0f) {
                    int y = TOP + plotH - (c + 1) * cellH; // neuron 0 at the bottom
                    g.fillRect(x0 + pad, y, Math.max(1, x1 - x0 - 2 * pad), cellH);
                }
            }
        }
        g.setColor(Color.GRAY);
        g.setStroke(new BasicStroke(1f));
        g.drawRect(LEFT, TOP, plotW, plotH);

        // y ticks: neuron indices
        g.setFont(TICK);
        int step = niceStep(shown, plotH / 28);
        for (int c = 0; c < shown; c += step) {
            int y = TOP + plotH - c * cellH - cellH / 2;
            g.setColor(Color.GRAY);
            g.drawLine(LEFT - 4, y, LEFT, y);
            g.setColor(Color.BLACK);
            String s = Integer.toString(c);
            g.drawString(s, LEFT - 7 - g.getFontMetrics().stringWidth(s), y + 4);
        }
        g.setFont(AXIS);
        AffineTransform saved = g.getTransform();
        g.rotate(-Math.PI / 2);
        centre(g, "neuron (channel)", -(TOP + plotH / 2), 22);
        g.setTransform(saved);

        // x: the tokens under their columns, or positions
        int base = TOP + plotH + 6;
        if (labelled) {
            g.setFont(TOKEN);
            for (int t = 0; t < steps; t++) {
                int xc = LEFT + (int) Math.round((t + 0.5) * cellW);
                String label = tokens.get(t);
                if (rotate) {
                    AffineTransform keep = g.getTransform();
                    g.translate(xc + 4, base);
                    g.rotate(Math.PI / 2);
                    g.drawString(label, 0, 0);
                    g.setTransform(keep);
                } else {
                    centre(g, label, xc, base + 14);
                }
            }
        } else {
            g.setFont(TICK);
            int xs = niceStep(steps, plotW / 60);
            for (int t = 0; t < steps; t += xs) {
                centre(
                        g,
                        Integer.toString(t),
                        LEFT + (int) Math.round((t + 0.5) * cellW),
                        base + 14);
            }
        }
        g.setFont(AXIS);
        centre(g, labelled ? "token" : "token position", LEFT + plotW / 2, base + labelH + 18);
        g.dispose();
        return image;
    }

    private static void centre(Graphics2D g, String s, int x, int y) {
        FontMetrics m = g.getFontMetrics();
        g.drawString(s, x - m.stringWidth(s) / 2, y);
    }

    private static int maxWidth(List<String> tokens, int steps) {
        return 8 * maxLength(tokens, steps);
    }

    private static int maxLength(List<String> tokens, int steps) {
        int max = 1;
        for (int t = 0; t < steps; t++) {
            max = Math.max(max, tokens.get(t).codePointCount(0, tokens.get(t).length()));
        }
        return max;
    }

    /** A step of 1, 2 or 5 x 10^k that gives at most {@code maxTicks} ticks over {@code range}. */
    static int niceStep(int range, int maxTicks) {
        int ticks = Math.max(1, maxTicks);
        for (int scale = 1; ; scale *= 10) {
            for (int m : new int[] {1, 2, 5}) {
                if ((range + m * scale - 1) / (m * scale) <= ticks) {
                    return m * scale;
                }
            }
        }
    }

    /**
     * Turns decoded tokens into axis labels (whitespace made visible, long tokens cut).
     *
     * @param tokens the decoded tokens
     * @return the labels
     */
    public static List<String> labels(List<String> tokens) {
        List<String> out = new ArrayList<>();
        for (String t : tokens) {
            out.add(Figures.visible(t));
        }
        return out;
    }
}
