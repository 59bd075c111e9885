package ai.spikegpt.model;

import ai.spikegpt.files.JsonKeys;
import com.google.gson.FieldNamingPolicy;
import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.util.List;
import java.util.Set;

/**
 * Reads and writes {@code config.json}: one flat object (the reference implementation's keys) that
 * fills the architecture ({@link SpikeGptConfig}), the neuron physics ({@link NeuronPhysics}) and
 * the classifier's classes ({@link ClassLabels}). Unknown keys are refused with a suggestion, a
 * missing required key or a value of the wrong type with a message naming it.
 */
final class ConfigJson {

    private static final Gson GSON =
            new GsonBuilder()
                    .setFieldNamingPolicy(FieldNamingPolicy.LOWER_CASE_WITH_UNDERSCORES)
                    .serializeSpecialFloatingPointValues()
                    .setPrettyPrinting()
                    .create();

    private static final Set<String> KNOWN =
            JsonKeys.snakeCaseFields(SpikeGptConfig.class, NeuronPhysics.class, ClassLabels.class);

    /** The order the keys are written in (the reference's, then this project's additions). */
    private static final List<String> ORDER =
            List.of(
                    "vocab_size",
                    "n_embd",
                    "n_layer",
                    "ctx_len",
                    "ffn_mult",
                    "variant",
                    "binary_embedding",
                    "tau",
                    "v_threshold",
                    "v_reset",
                    "surrogate",
                    "alpha",
                    "reset_mode",
                    "detach_reset",
                    "learnable_tau",
                    "learnable_threshold",
                    "dropout",
                    "ln_eps",
                    "rescale_every",
                    "n_classes",
                    "labels",
                    "text_normalization",
                    "init");

    private ConfigJson() {}

    /** Parses a config.json text, not yet validated. */
    static SpikeGptConfig parse(String json) {
        JsonElement tree;
        try {
            tree = JsonParser.parseString(json);
        } catch (JsonParseException e) {
            throw new IllegalArgumentException(
                    "config.json is not valid JSON: " + e.getMessage(), e);
        }
        if (!tree.isJsonObject()) {
            throw new IllegalArgumentException(
                    "config.json must be a JSON object, got: " + abbreviate(json));
        }
        JsonObject object = tree.getAsJsonObject();
        JsonKeys.check(object, KNOWN, "");
        if (object.has("init") && object.get("init").isJsonObject()) {
            JsonKeys.check(
                    object.getAsJsonObject("init"),
                    JsonKeys.snakeCaseFields(InitConfig.class),
                    "init.");
        }
        for (String required : List.of("vocab_size", "n_embd", "n_layer")) {
            if (!object.has(required)) {
                throw new IllegalArgumentException(
                        "config.json misses the required key '" + required + "'");
            }
        }
        try {
            SpikeGptConfig config = GSON.fromJson(object, SpikeGptConfig.class);
            config.neuron = GSON.fromJson(object, NeuronPhysics.class);
            config.classes = GSON.fromJson(object, ClassLabels.class);
            if (config.init == null) {
                config.init = new InitConfig();
            }
            return config;
        } catch (JsonParseException | NumberFormatException e) {
            throw new IllegalArgumentException(
                    "config.json has a value of the wrong type: " + e.getMessage(), e);
        }
    }

    /** Writes a configuration as pretty-printed JSON, its keys in the order of {@link #ORDER}. */
    static String write(SpikeGptConfig config) {
        JsonObject all = GSON.toJsonTree(config).getAsJsonObject();
        GSON.toJsonTree(config.neuron)
                .getAsJsonObject()
                .entrySet()
                .forEach(e -> all.add(e.getKey(), e.getValue()));
        GSON.toJsonTree(config.classes)
                .getAsJsonObject()
                .entrySet()
                .forEach(e -> all.add(e.getKey(), e.getValue()));
        JsonObject ordered = new JsonObject();
        for (String key : ORDER) {
            if (all.has(key)) {
                ordered.add(key, all.remove(key));
            }
        }
        all.entrySet().forEach(e -> ordered.add(e.getKey(), e.getValue())); // keys added later
        return GSON.toJson(ordered);
    }

    private static String abbreviate(String s) {
        return s.length() > 80 ? s.substring(0, 80) + "..." : s;
    }
}
