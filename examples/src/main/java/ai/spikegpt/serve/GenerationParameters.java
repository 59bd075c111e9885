package ai.spikegpt.serve;

import ai.spikegpt.generate.SamplingConfig;
import ai.spikegpt.tokenizer.TextTokenizer;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.math.BigDecimal;

/**
 * A request's generation settings, {@code max_new_tokens}, {@code temperature}, {@code top_k},
 * {@code top_p} and {@code seed}, as a {@link SamplingConfig}. Defaults are the translator's
 * (temperature 0.8, all tokens, 200 new tokens, seed 0), so the same request gives the same text. A
 * value of the wrong type or out of range is the client's mistake (HTTP 400), named in the message.
 */
final class GenerationParameters {

    /** The most tokens one request may ask for: a bound on the time a request holds a worker. */
    static final int MAX_NEW_TOKENS = 2048;

    private GenerationParameters() {}

    /**
     * @param parameters the request's settings (see {@link PredictionRequest})
     * @param tokenizer the model's tokenizer (its end-of-text token stops the generation)
     * @return the sampling configuration
     * @throws IllegalArgumentException for a missing-type or out-of-range value
     */
    static SamplingConfig sampling(JsonObject parameters, TextTokenizer tokenizer) {
        for (String key : parameters.keySet()) {
            if (!PredictionRequest.GENERATION_KEYS.contains(key)) {
                throw new IllegalArgumentException(
                        "unknown parameter \""
                                + key
                                + "\": the generation settings are max_new_tokens, temperature, top_k, top_p and seed");
            }
        }
        int maxNewTokens = (int) integer(parameters, "max_new_tokens", 200, 0, MAX_NEW_TOKENS);
        float temperature = (float) number(parameters, "temperature", 0.8);
        int topK = (int) integer(parameters, "top_k", 0, 0, Integer.MAX_VALUE);
        float topP = (float) number(parameters, "top_p", 1.0);
        long seed = integer(parameters, "seed", 0, Long.MIN_VALUE, Long.MAX_VALUE);
        SamplingConfig.Builder b =
                SamplingConfig.builder()
                        .optMaxTokens(maxNewTokens)
                        .optTemperature(temperature)
                        .optTopK(topK)
                        .optTopP(topP)
                        .optSeed(seed);
        tokenizer.endOfText().ifPresent(b::optStopTokens);
        return b.build(); // checks the temperature and top_p ranges, naming the setting
    }

    /**
     * @param parameters the request's settings (may be empty)
     * @return whether the request carries any generation setting
     */
    static boolean any(JsonObject parameters) {
        return !parameters.keySet().isEmpty();
    }

    private static double number(JsonObject parameters, String key, double fallback) {
        JsonElement value = parameters.get(key);
        if (value == null || value.isJsonNull()) {
            return fallback;
        }
        if (!value.isJsonPrimitive() || !value.getAsJsonPrimitive().isNumber()) {
            throw new IllegalArgumentException(key + " must be a number, got " + value);
        }
        return value.getAsDouble();
    }

    private static long integer(
            JsonObject parameters, String key, long fallback, long min, long max) {
        JsonElement value = parameters.get(key);
        if (value == null || value.isJsonNull()) {
            return fallback;
        }
        if (!value.isJsonPrimitive() || !value.getAsJsonPrimitive().isNumber()) {
            throw new IllegalArgumentException(key + " must be an integer, got " + value);
        }
        BigDecimal exact = value.getAsBigDecimal();
        long n;
        try {
            n = exact.longValueExact();
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException(key + " must be an integer, got " + value);
        }
        if (n < min || n > max) {
            throw new IllegalArgumentException(
                    key + " must be between " + min + " and " + max + ", got " + n);
        }
        return n;
    }
}
