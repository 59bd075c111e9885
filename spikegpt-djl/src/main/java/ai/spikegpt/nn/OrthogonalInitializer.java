package ai.spikegpt.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.initializer.Initializer;

/**
 * Initialises a matrix with orthonormal rows or columns times a gain, like PyTorch's {@code
 * nn.init.orthogonal_}: the Q factor of a Gaussian matrix, with the signs fixed so that R has a
 * positive diagonal. The Gaussian comes from the engine's random generator, so {@code
 * Engine.getInstance().setRandomSeed(seed)} makes it reproducible. DJL has no QR decomposition;
 * modified Gram–Schmidt in double precision is plenty for initialisation.
 */
public final class OrthogonalInitializer implements Initializer {

    private final float gain;

    /**
     * @param gain the scale of the orthogonal matrix
     */
    public OrthogonalInitializer(float gain) {
        this.gain = gain;
    }

    @Override
    public NDArray initialize(NDManager manager, Shape shape, DataType dataType) {
        if (shape.dimension() < 2) {
            throw new IllegalArgumentException("orthogonal init needs a matrix, got " + shape);
        }
        int rows = Math.toIntExact(shape.get(0));
        int cols = Math.toIntExact(shape.size() / rows);
        boolean transpose = rows < cols;
        int n = transpose ? cols : rows; // the long side: columns of Q live in R^n
        int m = transpose ? rows : cols;
        float[] gaussian;
        try (NDArray g = manager.randomNormal(new Shape(n, m))) {
            gaussian = g.toFloatArray();
        }
        double[][] q = new double[m][n]; // column vectors
        for (int j = 0; j < m; j++) {
            for (int i = 0; i < n; i++) {
                q[j][i] = gaussian[i * m + j];
            }
            for (int p = 0; p < j; p++) {
                double dot = 0;
                for (int i = 0; i < n; i++) {
                    dot += q[p][i] * q[j][i];
                }
                for (int i = 0; i < n; i++) {
                    q[j][i] -= dot * q[p][i];
                }
            }
            double norm = 0;
            for (int i = 0; i < n; i++) {
                norm += q[j][i] * q[j][i];
            }
            norm = Math.sqrt(norm);
            for (int i = 0; i < n; i++) {
                q[j][i] /= norm;
            }
        }
        float[] out = new float[rows * cols];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                out[r * cols + c] = (float) (gain * (transpose ? q[r][c] : q[c][r]));
            }
        }
        return Tensors.fromJava(manager, out, shape).toType(dataType, false);
    }
}
