/**
 * Text to token ids and back: the {@link ai.spikegpt.tokenizer.TextTokenizer} interface with a
 * {@link ai.spikegpt.tokenizer.CharTokenizer character-level} and a {@link
 * ai.spikegpt.tokenizer.BpeTokenizer byte-level BPE} implementation (Hugging Face tokenizers
 * through DJL), and a {@link ai.spikegpt.tokenizer.StreamingDecoder} for printing generated text as
 * it comes.
 */
package ai.spikegpt.tokenizer;
