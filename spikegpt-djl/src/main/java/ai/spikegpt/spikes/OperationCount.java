package ai.spikegpt.spikes;

/**
 * The operations of one part of the model over all counted tokens, for the spiking model and for a
 * same-shape non-spiking RWKV (the "ANN").
 *
 * @param group the block index as a string ({@code "0"}, {@code "1"}, ...) or {@code "head"}
 * @param name the part, e.g. {@code att.key}, {@code att.wkv}, {@code lif1}
 * @param input what its input is
 * @param inputDensity for a linear layer: events (spikes or spike counts) per input element and
 *     token, both token-shift slots together, so that {@code sops = annMacs x inputDensity}; 1 for
 *     real-valued inputs; NaN for element-wise parts
 * @param annMacs the ANN's multiply-accumulates
 * @param annAdds the ANN's additions
 * @param denseMacs the spiking model's multiply-accumulates inside the matrix product itself
 *     (real-valued inputs); 0 for an event-driven product
 * @param macs all multiply-accumulates of the spiking model (dense ones, LayerNorm corrections,
 *     element-wise multiplications)
 * @param sops the spiking model's synaptic operations (accumulates driven by spike events)
 * @param adds the spiking model's other additions
 */
public record OperationCount(
        String group,
        String name,
        InputKind input,
        double inputDensity,
        long annMacs,
        long annAdds,
        long denseMacs,
        long macs,
        long sops,
        long adds) {

    /**
     * @param energy the energy model
     * @return the spiking model's energy, pJ
     */
    public double energyPj(EnergyModel energy) {
        return energy.energyPj(macs, sops + adds);
    }

    /**
     * @param energy the energy model
     * @return the ANN's energy, pJ
     */
    public double annEnergyPj(EnergyModel energy) {
        return energy.energyPj(annMacs, annAdds);
    }
}
