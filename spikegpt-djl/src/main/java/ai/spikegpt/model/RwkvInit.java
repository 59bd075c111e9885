package ai.spikegpt.model;

import ai.djl.ndarray.types.Shape;
import ai.djl.training.initializer.Initializer;
import ai.spikegpt.nn.Tensors;

/**
 * The RWKV-4 initial values of the time-mix and channel-mix vectors, which the original SpikeGPT
 * constructor always applies (layer {@code i} of {@code L}, channel {@code h} of {@code C}):
 *
 * <pre>
 *   r01 = i / (L - 1),  r10 = 1 - i / L,  x = h / C
 *   time_decay[h] = -5 + 8 (h / (C - 1))^(0.7 + 1.3 r01)
 *   time_first[h] = ln 0.3 + 0.5 ((h + 1) mod 3 - 1)
 *   att.time_mix_k = x^r10,  att.time_mix_v = x^r10 + 0.3 r01,  att.time_mix_r = x^(0.5 r10)
 *   ffn.time_mix_k = ffn.time_mix_r = x^r10
 * </pre>
 */
final class RwkvInit {

    private RwkvInit() {}

    static Initializer timeDecay(int layer, int layers, int channels) {
        double r01 = layers > 1 ? layer / (double) (layers - 1) : 0.0;
        return values(
                channels,
                h -> -5 + 8 * Math.pow(h / (double) Math.max(channels - 1, 1), 0.7 + 1.3 * r01));
    }

    static Initializer timeFirst(int channels) {
        return values(channels, h -> Math.log(0.3) + 0.5 * ((h + 1) % 3 - 1));
    }

    static Initializer timeMix(int layer, int layers, int channels, double power, double offset) {
        double r10 = 1.0 - layer / (double) layers;
        double r01 = layers > 1 ? layer / (double) (layers - 1) : 0.0;
        return values(channels, h -> Math.pow(h / (double) channels, power * r10) + offset * r01);
    }

    private static Initializer values(int channels, java.util.function.IntToDoubleFunction f) {
        return (manager, shape, dataType) -> {
            float[] v = new float[channels];
            for (int h = 0; h < channels; h++) {
                v[h] = (float) f.applyAsDouble(h);
            }
            if (shape.size() != channels) {
                throw new IllegalStateException(
                        "expected " + channels + " values for shape " + shape);
            }
            return Tensors.fromJava(manager, v, new Shape(shape.getShape()))
                    .toType(dataType, false);
        };
    }
}
