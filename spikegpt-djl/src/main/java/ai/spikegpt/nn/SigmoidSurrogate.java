package ai.spikegpt.nn;

/**
 * The sigmoid surrogate (spikingjelly's {@code Sigmoid}, snnTorch's {@code sigmoid}):
 *
 * <pre>
 *   g(z) = alpha * sigma(alpha z) * (1 - sigma(alpha z)),   sigma(x) = 1 / (1 + e^-x)
 * </pre>
 */
public final class SigmoidSurrogate implements Surrogate {

    private final float alpha;

    /**
     * @param alpha the sharpness (spikingjelly's default: 4)
     */
    public SigmoidSurrogate(float alpha) {
        if (!(alpha > 0f) || !Float.isFinite(alpha)) {
            throw new IllegalArgumentException(
                    "surrogate alpha must be finite and > 0, got " + alpha);
        }
        this.alpha = alpha;
    }

    @Override
    public float derivative(float z) {
        double s = 1.0 / (1.0 + Math.exp(-alpha * (double) z));
        return (float) (alpha * s * (1.0 - s));
    }

    @Override
    public String name() {
        return SIGMOID;
    }

    @Override
    public float alpha() {
        return alpha;
    }
}
