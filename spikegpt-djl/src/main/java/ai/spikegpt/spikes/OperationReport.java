package ai.spikegpt.spikes;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The operation counts of {@link OperationCounter} and the energy estimate, per part, per block and
 * in total, for the spiking model and a same-shape non-spiking RWKV:
 *
 * <pre>
 *   E_SNN = E_MAC x MACs + E_AC x (SOPs + adds)          E_ANN = E_MAC x MACs_ANN + E_AC x adds_ANN
 *   energyRatio          = E_ANN / E_SNN                               every counted operation
 *   synapticEnergyRatio  = E_MAC x linear MACs_ANN / (E_MAC x dense MACs + E_AC x SOPs)
 *                                                                      linear layers only (the paper's method)
 *   synapticOpRatio      = linear MACs_ANN / (dense MACs + SOPs)       the same, unweighted operation counts
 * </pre>
 */
public final class OperationReport {

    private final SpikeStatistics stats;
    private final List<OperationCount> rows;
    private final EnergyModel energy;

    OperationReport(SpikeStatistics stats, List<OperationCount> rows, EnergyModel energy) {
        this.stats = stats;
        this.rows = Collections.unmodifiableList(new ArrayList<>(rows));
        this.energy = energy;
    }

    /**
     * @return the statistics the counts were made from
     */
    public SpikeStatistics statistics() {
        return stats;
    }

    /**
     * @return the energy model
     */
    public EnergyModel energyModel() {
        return energy;
    }

    /**
     * @return every part, in model order
     */
    public List<OperationCount> rows() {
        return rows;
    }

    /**
     * @return the groups in model order: {@code "0", "1", ..., "head"}
     */
    public List<String> groups() {
        Set<String> groups = new LinkedHashSet<>();
        rows.forEach(r -> groups.add(r.group()));
        return List.copyOf(groups);
    }

    /**
     * Returns one part.
     *
     * @param group the group ({@code "0"}, ..., {@code "head"})
     * @param name the part's name
     * @return the part
     * @throws IllegalArgumentException if there is none
     */
    public OperationCount row(String group, String name) {
        for (OperationCount r : rows) {
            if (r.group().equals(group) && r.name().equals(name)) {
                return r;
            }
        }
        throw new IllegalArgumentException("no part " + group + "/" + name);
    }

    /**
     * @param group a group, or null for all
     * @return the sum of that group's parts (name "total", input kind of the first part)
     */
    public OperationCount total(String group) {
        long annMacs = 0;
        long annAdds = 0;
        long dense = 0;
        long macs = 0;
        long sops = 0;
        long adds = 0;
        for (OperationCount r : rows) {
            if (group == null || r.group().equals(group)) {
                annMacs += r.annMacs();
                annAdds += r.annAdds();
                dense += r.denseMacs();
                macs += r.macs();
                sops += r.sops();
                adds += r.adds();
            }
        }
        return new OperationCount(
                group == null ? "all" : group,
                "total",
                InputKind.ELEMENTWISE,
                Double.NaN,
                annMacs,
                annAdds,
                dense,
                macs,
                sops,
                adds);
    }

    /**
     * @return the sum over the whole model
     */
    public OperationCount total() {
        return total(null);
    }

    /**
     * @return the spiking model's energy over all counted tokens, pJ
     */
    public double energyPj() {
        return total().energyPj(energy);
    }

    /**
     * @return the same-shape ANN's energy over all counted tokens, pJ
     */
    public double annEnergyPj() {
        return total().annEnergyPj(energy);
    }

    /**
     * @return ANN energy / spiking energy, every counted operation
     */
    public double energyRatio() {
        return annEnergyPj() / energyPj();
    }

    /**
     * @return ANN energy / spiking energy of the linear layers' synaptic work only (the paper's
     *     method)
     */
    public double synapticEnergyRatio() {
        double ann = 0;
        double snn = 0;
        for (OperationCount r : rows) {
            if (r.input().isLinear()) {
                ann += energy.energyPj(r.annMacs(), 0);
                snn += energy.energyPj(r.denseMacs(), r.sops());
            }
        }
        return ann / snn;
    }

    /**
     * @return ANN MACs / (dense MACs + SOPs) of the linear layers, unweighted
     */
    public double synapticOpRatio() {
        double ann = 0;
        double snn = 0;
        for (OperationCount r : rows) {
            if (r.input().isLinear()) {
                ann += r.annMacs();
                snn += r.denseMacs() + r.sops();
            }
        }
        return ann / snn;
    }
}
