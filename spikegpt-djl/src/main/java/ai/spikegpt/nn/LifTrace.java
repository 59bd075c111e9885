package ai.spikegpt.nn;

/**
 * The values of one {@link LifNeuron} forward pass, row-major {@code [B, T, N]}, and what its
 * backward needs: the surrogate slopes and the gates of the linearised dynamics.
 */
final class LifTrace {
    final float[] in;
    final float[] v;
    final float[] spikes;
    final float[] slope; // g(h - theta)
    final float[] gate; // (1 - 1/tau) dv/dh of the previous step
    final float[] vPrev; // the membrane before each step (learnable tau)
    final float[] thetaGate; // (1 - 1/tau) dv/dtheta of the previous step (learnable threshold)
    float[] charge; // h, only when asked for (potential)

    LifTrace(float[] in, float[] v0, boolean grad, boolean learnTau, boolean learnTheta) {
        this.in = in;
        this.v = v0;
        spikes = new float[in.length];
        slope = grad ? new float[in.length] : null;
        gate = grad ? new float[in.length] : null;
        vPrev = grad && learnTau ? new float[in.length] : null;
        thetaGate = grad && learnTheta ? new float[in.length] : null;
    }
}
