package ai.spikegpt.inference;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link Axpy} with the vector API, the widest vectors the CPU has. Loaded only when the module is
 * present.
 */
final class VectorAxpy {

    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;

    /** Bytes of as many lanes as {@link #SPECIES} has floats. */
    private static final VectorSpecies<Byte> BYTES =
            VectorSpecies.of(byte.class, VectorShape.forBitSize(SPECIES.length() * 8));

    private VectorAxpy() {}

    /** {@code out[i] = q[off + i]} as floats. */
    static void bytesToFloats(byte[] q, int off, float[] out, int n) {
        int i = 0;
        int bound = SPECIES.loopBound(n);
        for (; i < bound; i += SPECIES.length()) {
            ByteVector.fromArray(BYTES, q, off + i)
                    .convertShape(VectorOperators.B2F, SPECIES, 0)
                    .reinterpretAsFloats()
                    .intoArray(out, i);
        }
        for (; i < n; i++) {
            out[i] = q[off + i];
        }
    }

    static void axpy(float a, float[] w, int wOff, float[] y, int yOff, int n) {
        FloatVector av = FloatVector.broadcast(SPECIES, a);
        int i = 0;
        int bound = SPECIES.loopBound(n);
        for (; i < bound; i += SPECIES.length()) {
            FloatVector yv = FloatVector.fromArray(SPECIES, y, yOff + i);
            FloatVector.fromArray(SPECIES, w, wOff + i).fma(av, yv).intoArray(y, yOff + i);
        }
        for (; i < n; i++) {
            y[yOff + i] += a * w[wOff + i];
        }
    }

    static String species() {
        return SPECIES.toString();
    }
}
