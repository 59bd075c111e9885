/**
 * The SpikeGPT model zoo for DJL: {@link ai.spikegpt.zoo.SpikeGptModelZoo} (found through {@link
 * ai.spikegpt.zoo.SpikeGptZooProvider} when the {@code zoo-artifacts} jar is on the classpath), a
 * {@link ai.spikegpt.zoo.ClasspathRepository} that serves versioned, checksummed artifacts offline,
 * the {@link ai.spikegpt.zoo.SpikeGptBlockFactory} that builds a model from a model directory, and
 * {@link ai.spikegpt.zoo.ZooArtifacts} that packs a model directory into an artifact; {@link
 * ai.spikegpt.zoo.JavaModelDirectory} loads a model directory into the pure-Java engine without the
 * native one.
 */
package ai.spikegpt.zoo;
