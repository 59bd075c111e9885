package ai.spikegpt.spikes;

import java.util.Locale;

/**
 * Formats an {@link OperationReport} as Markdown tables: per block ({@link #layers}), per part
 * ({@link #operations}), and the totals with the energy ratios ({@link #summary}). Operation counts
 * and energies are per token (averaged over all counted token positions).
 */
public final class SpikeTable {

    private SpikeTable() {}

    /**
     * One row per block, plus the embedding, the head and the total: firing rates, never-firing
     * fractions, the event density of the stream that the block's time mix receives, and the
     * operations and energy per token.
     *
     * @param report the report
     * @return the table
     */
    public static String layers(OperationReport report) {
        SpikeStatistics stats = report.statistics();
        EnergyModel energy = report.energyModel();
        double n = stats.positions();
        boolean spiking = stats.config().getVariant().spiking();
        boolean hidden = stats.firing(NeuronSite.FFN_HIDDEN, 0) != null;
        StringBuilder sb = new StringBuilder();
        sb.append("| layer | lif1 rate | lif2 rate | lif1 never fire | lif2 never fire |");
        sb.append(hidden ? " ffn hidden rate | ffn hidden never fire |" : "");
        sb.append(
                " stream in (events/ch) | MACs/tok | SOPs/tok | adds/tok | SNN nJ/tok | ANN nJ/tok | ANN/SNN |\n");
        sb.append("|---|---|---|---|---|")
                .append(hidden ? "---|---|" : "")
                .append("---|---|---|---|---|---|---|\n");
        String blankHidden = hidden ? " |  |" : "";
        FiringStats emb = stats.firing(NeuronSite.EMBEDDING, -1);
        if (emb != null) {
            sb.append(
                    String.format(
                            Locale.ROOT,
                            "| emb (binary) | %s | | %s | |%s | | | | | | |%n",
                            percent(emb.rate()),
                            percent(emb.neverFiringFraction()),
                            blankHidden));
        }
        for (String group : report.groups()) {
            OperationCount t = report.total(group);
            String cells;
            StreamStats stream;
            if ("head".equals(group)) {
                cells = "| | | |" + blankHidden;
                stream = stats.headInput();
            } else {
                int layer = Integer.parseInt(group);
                FiringStats l1 = stats.firing(NeuronSite.LIF1, layer);
                FiringStats l2 = stats.firing(NeuronSite.LIF2, layer);
                cells =
                        String.format(
                                Locale.ROOT,
                                "%s | %s | %s | %s |",
                                rate(l1),
                                rate(l2),
                                never(l1),
                                never(l2));
                if (hidden) {
                    FiringStats h = stats.firing(NeuronSite.FFN_HIDDEN, layer);
                    cells += String.format(Locale.ROOT, " %s | %s |", rate(h), never(h));
                }
                stream = stats.attInput(layer);
            }
            sb.append(
                    String.format(
                            Locale.ROOT,
                            "| %s | %s %s | %s | %s | %s | %s | %s | %s |%n",
                            group,
                            cells,
                            spiking ? number(stream.density()) : "-",
                            count(t.macs() / n),
                            count(t.sops() / n),
                            count(t.adds() / n),
                            number(t.energyPj(energy) / n / 1000),
                            number(t.annEnergyPj(energy) / n / 1000),
                            ratio(t.annEnergyPj(energy) / t.energyPj(energy))));
        }
        OperationCount all = report.total();
        String hiddenTotal =
                hidden
                        ? String.format(
                                Locale.ROOT,
                                " %s | |",
                                percent(meanRate(stats, NeuronSite.FFN_HIDDEN)))
                        : "";
        sb.append(
                String.format(
                        Locale.ROOT,
                        "| **total** | %s | %s | | |%s | %s | %s | %s | %s | %s | %s |%n",
                        percent(meanRate(stats, NeuronSite.LIF1)),
                        percent(meanRate(stats, NeuronSite.LIF2)),
                        hiddenTotal,
                        count(all.macs() / n),
                        count(all.sops() / n),
                        count(all.adds() / n),
                        number(report.energyPj() / n / 1000),
                        number(report.annEnergyPj() / n / 1000),
                        ratio(report.energyRatio())));
        return sb.toString();
    }

    /**
     * One row per part (linear layer or element-wise step) with its input kind and density.
     *
     * @param report the report
     * @return the table
     */
    public static String operations(OperationReport report) {
        double n = report.statistics().positions();
        EnergyModel energy = report.energyModel();
        StringBuilder sb = new StringBuilder();
        sb.append(
                "| block | part | input | density | ANN MACs/tok | MACs/tok | SOPs/tok | adds/tok | SNN pJ/tok "
                        + "| ANN pJ/tok |\n");
        sb.append("|---|---|---|---|---|---|---|---|---|---|\n");
        for (OperationCount r : report.rows()) {
            sb.append(
                    String.format(
                            Locale.ROOT,
                            "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |%n",
                            r.group(),
                            r.name(),
                            r.input().label(),
                            Double.isNaN(r.inputDensity()) ? "" : number(r.inputDensity()),
                            count(r.annMacs() / n),
                            count(r.macs() / n),
                            count(r.sops() / n),
                            count(r.adds() / n),
                            number(r.energyPj(energy) / n),
                            number(r.annEnergyPj(energy) / n)));
        }
        return sb.toString();
    }

    /**
     * The totals and the three ratios, with a line on how they were computed.
     *
     * @param report the report
     * @return the text
     */
    public static String summary(OperationReport report) {
        SpikeStatistics stats = report.statistics();
        double n = stats.positions();
        StringBuilder sb = new StringBuilder();
        sb.append(
                String.format(
                        Locale.ROOT,
                        "tokens: %d in %d sequence(s); model %s%n",
                        stats.positions(),
                        stats.sequences(),
                        stats.config()));
        sb.append(
                String.format(
                        Locale.ROOT,
                        "energy per token: spiking %s nJ, same-shape RWKV (ANN) %s nJ  (%s)%n",
                        number(report.energyPj() / n / 1000),
                        number(report.annEnergyPj() / n / 1000),
                        report.energyModel()));
        sb.append(
                String.format(
                        Locale.ROOT,
                        "ANN / spiking energy, every counted operation:             %s%n",
                        ratio(report.energyRatio())));
        sb.append(
                String.format(
                        Locale.ROOT,
                        "ANN / spiking energy, linear layers only (paper's method): %s%n",
                        ratio(report.synapticEnergyRatio())));
        sb.append(
                String.format(
                        Locale.ROOT,
                        "ANN MACs / (MACs + SOPs), linear layers only:              %s%n",
                        ratio(report.synapticOpRatio())));
        sb.append(
                "(the paper reports 32.2x fewer operations than a same-size ANN on neuromorphic hardware; here a\n"
                        + " spike-count-driven layer costs one accumulate per spike event and output for the current and the\n"
                        + " previous token, plus LayerNorm corrections; see docs/spikes.md)\n");
        return sb.toString();
    }

    private static double meanRate(SpikeStatistics stats, NeuronSite site) {
        long spikes = 0;
        double elements = 0;
        for (FiringStats f : stats.firing()) {
            if (f.site() == site) {
                spikes += f.spikes();
                elements += (double) f.positions() * f.width();
            }
        }
        return elements == 0 ? Double.NaN : spikes / elements;
    }

    private static String rate(FiringStats f) {
        return f == null ? "-" : percent(f.rate());
    }

    private static String never(FiringStats f) {
        return f == null ? "-" : percent(f.neverFiringFraction());
    }

    static String percent(double v) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.2f%%", 100 * v);
    }

    static String ratio(double v) {
        return Double.isNaN(v) || Double.isInfinite(v)
                ? "-"
                : String.format(Locale.ROOT, "%.2fx", v);
    }

    static String number(double v) {
        if (Double.isNaN(v)) {
            return "-";
        }
        if (v == 0) {
            return "0";
        }
        return String.format(
                Locale.ROOT, Math.abs(v) >= 100 ? "%.0f" : Math.abs(v) >= 10 ? "%.1f" : "%.3f", v);
    }

    /** A count with a k / M / G suffix. */
    static String count(double v) {
        double a = Math.abs(v);
        if (a >= 1e9) {
            return String.format(Locale.ROOT, "%.2fG", v / 1e9);
        }
        if (a >= 1e6) {
            return String.format(Locale.ROOT, "%.2fM", v / 1e6);
        }
        if (a >= 1e3) {
            return String.format(Locale.ROOT, "%.1fk", v / 1e3);
        }
        return String.format(Locale.ROOT, "%.0f", v);
    }
}
