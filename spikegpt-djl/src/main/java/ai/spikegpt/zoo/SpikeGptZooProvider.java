package ai.spikegpt.zoo;

import ai.djl.repository.zoo.ModelZoo;
import ai.djl.repository.zoo.ZooProvider;

/** Registers the {@link SpikeGptModelZoo} with DJL (through {@code META-INF/services}). */
public final class SpikeGptZooProvider implements ZooProvider {

    @Override
    public ModelZoo getModelZoo() {
        return new SpikeGptModelZoo();
    }
}
