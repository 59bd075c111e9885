package ai.spikegpt.spikes;

/**
 * The energy of an operation, in picojoules: {@code E = E_MAC x MACs + E_AC x ACs}.
 *
 * <p>The defaults are the 45 nm CMOS figures (Horowitz, ISSCC 2014) that the SpikeGPT paper and
 * most SNN papers use: a 32-bit floating-point multiply-accumulate {@code E_MAC = 4.6 pJ} (3.7 pJ
 * multiply + 0.9 pJ add) and an accumulate (add) {@code E_AC = 0.9 pJ}. A synaptic operation of a
 * spiking layer is an accumulate. Memory access is not modelled, on either side.
 */
public final class EnergyModel {

    /** The paper's multiply-accumulate energy, pJ. */
    public static final double PAPER_MAC_PJ = 4.6;

    /** The paper's accumulate energy, pJ. */
    public static final double PAPER_AC_PJ = 0.9;

    private final double macPj;
    private final double acPj;

    private EnergyModel(Builder builder) {
        this.macPj = builder.macPj;
        this.acPj = builder.acPj;
    }

    /**
     * @return the paper's 45 nm model (4.6 pJ per MAC, 0.9 pJ per AC)
     */
    public static EnergyModel paper() {
        return builder().build();
    }

    /**
     * @return a builder with the paper's constants
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * @return the energy of a multiply-accumulate, pJ
     */
    public double macPj() {
        return macPj;
    }

    /**
     * @return the energy of an accumulate (add, synaptic operation), pJ
     */
    public double acPj() {
        return acPj;
    }

    /**
     * @param macs multiply-accumulates (multiplications count as one each)
     * @param acs accumulates (additions, synaptic operations)
     * @return {@code E_MAC x macs + E_AC x acs}, pJ
     */
    public double energyPj(double macs, double acs) {
        return macPj * macs + acPj * acs;
    }

    @Override
    public String toString() {
        return "E_MAC " + macPj + " pJ, E_AC " + acPj + " pJ";
    }

    /** Builds an {@link EnergyModel}; both constants default to the paper's. */
    public static final class Builder {
        private double macPj = PAPER_MAC_PJ;
        private double acPj = PAPER_AC_PJ;

        Builder() {}

        /**
         * @param pj the energy of a MAC in pJ, > 0 @return this builder
         */
        public Builder optMacEnergy(double pj) {
            this.macPj = check(pj, "E_MAC");
            return this;
        }

        /**
         * @param pj the energy of an AC in pJ, > 0 @return this builder
         */
        public Builder optAcEnergy(double pj) {
            this.acPj = check(pj, "E_AC");
            return this;
        }

        private static double check(double pj, String what) {
            if (!(pj > 0) || Double.isInfinite(pj)) {
                throw new IllegalArgumentException(
                        what + " must be a positive number of pJ, got " + pj);
            }
            return pj;
        }

        /**
         * @return the model
         */
        public EnergyModel build() {
            return new EnergyModel(this);
        }
    }
}
