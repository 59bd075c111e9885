/**
 * Spiking building blocks as DJL blocks and operators: the {@link ai.spikegpt.nn.LifNeuron LIF
 * neuron} and the memoryless {@link ai.spikegpt.nn.HeavisideNeuron} over a shared {@link
 * ai.spikegpt.nn.SpikingNeuron} base, their {@link ai.spikegpt.nn.Surrogate surrogate gradients},
 * the {@link ai.spikegpt.nn.BinaryEmbedding}, and the two time recurrences SpikeGPT is made of,
 * {@link ai.spikegpt.nn.Wkv WKV} and the LIF's BPTT, both evaluated by {@link
 * ai.spikegpt.nn.LinearScan} with a number of native calls that grows with log T, not T.
 *
 * <p>DJL has no user-defined backward, so every nonlinear recurrence here runs its forward pass
 * exactly (in Java or natively) and attaches its exact gradient as a zero-valued straight-through
 * term built from linear operations with constant coefficients. Training steps can do better with a
 * {@link ai.spikegpt.nn.SegmentedBackward}: the LIF and WKV then cut the graph, and their gradients
 * run as Java loops between per-segment autograd passes.
 */
package ai.spikegpt.nn;
