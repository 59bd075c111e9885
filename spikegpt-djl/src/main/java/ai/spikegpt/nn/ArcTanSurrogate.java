package ai.spikegpt.nn;

/**
 * The arctan surrogate of spikingjelly's {@code ATan}, SpikeGPT's choice:
 *
 * <pre>
 *   g(z) = (alpha / 2) / (1 + (pi/2 * alpha * z)^2)      (alpha = 2:  g(z) = 1 / (1 + (pi z)^2))
 * </pre>
 *
 * the derivative of {@code atan(pi/2 * alpha * z) / pi + 1/2}.
 */
public final class ArcTanSurrogate implements Surrogate {

    private final float alpha;
    private final double halfAlpha;
    private final double scale;

    /**
     * @param alpha the sharpness (SpikeGPT: 2)
     */
    public ArcTanSurrogate(float alpha) {
        if (!(alpha > 0f) || !Float.isFinite(alpha)) {
            throw new IllegalArgumentException(
                    "surrogate alpha must be finite and > 0, got " + alpha);
        }
        this.alpha = alpha;
        this.halfAlpha = alpha / 2.0;
        this.scale = Math.PI / 2.0 * alpha;
    }

    @Override
    public float derivative(float z) {
        double s = scale * z;
        return (float) (halfAlpha / (1.0 + s * s));
    }

    @Override
    public String name() {
        return ARCTAN;
    }

    @Override
    public float alpha() {
        return alpha;
    }
}
