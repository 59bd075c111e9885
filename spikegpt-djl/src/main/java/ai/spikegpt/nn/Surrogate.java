package ai.spikegpt.nn;

import java.util.Locale;

/**
 * A surrogate gradient for the Heaviside step. The forward pass of every spiking function in this
 * project is exact, {@code H(z) = 1 if z >= 0 else 0} (ties and -0.0 fire); the backward pass
 * replaces the Dirac delta {@code H'(z)} with a smooth bump {@link #derivative(float)}.
 */
public interface Surrogate {

    /** The name of {@link ArcTanSurrogate}. */
    String ARCTAN = "arctan";

    /** The name of {@link SigmoidSurrogate}. */
    String SIGMOID = "sigmoid";

    /**
     * Returns the surrogate derivative at {@code z} (the distance to the threshold).
     *
     * @param z the neuron's input minus its threshold
     * @return the value used in place of {@code H'(z)}
     */
    float derivative(float z);

    /**
     * @return the configuration name of this surrogate
     */
    String name();

    /**
     * @return the sharpness parameter alpha
     */
    float alpha();

    /**
     * Returns the surrogate of the given name.
     *
     * @param name {@code arctan} or {@code sigmoid}
     * @param alpha the sharpness
     * @return the surrogate
     * @throws IllegalArgumentException for an unknown name
     */
    static Surrogate of(String name, float alpha) {
        switch (name == null ? "" : name.toLowerCase(Locale.ROOT)) {
            case ARCTAN:
                return new ArcTanSurrogate(alpha);
            case SIGMOID:
                return new SigmoidSurrogate(alpha);
            default:
                throw new IllegalArgumentException(
                        "unknown surrogate '"
                                + name
                                + "': use '"
                                + ARCTAN
                                + "' or '"
                                + SIGMOID
                                + "'");
        }
    }
}
