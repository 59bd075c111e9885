/**
 * DJL translators for SpikeGPT: {@link ai.spikegpt.translator.TextGenerationTranslator} (text in,
 * continuation out), its streaming variant {@link
 * ai.spikegpt.translator.StreamingTextGenerationTranslator}, {@link
 * ai.spikegpt.translator.TextClassificationTranslator} (text in, {@code Classifications} out, with
 * padded and masked batches), and the {@link ai.spikegpt.translator.SpikeGptTranslatorFactory} the
 * model zoo and {@code Criteria} use.
 */
package ai.spikegpt.translator;
