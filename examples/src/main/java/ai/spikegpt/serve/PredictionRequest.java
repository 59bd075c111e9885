package ai.spikegpt.serve;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A {@code POST /predictions/{name}} body, in DJL Serving's shapes: plain text (one input), {@code
 * {"inputs": "text"}} (one input) or {@code {"inputs": ["a", "b"]}} (a list, answered with a list).
 * Generation settings may come at the top level or in a {@code "parameters"} object (DJL Serving's
 * LMI shape); {@code "stream": true} asks for the tokens as server-sent events.
 *
 * <p>The body is JSON when the {@code Content-Type} says so, or when it says neither JSON nor
 * {@code text/plain} and the body starts with {@code {} (curl's {@code -d} sends a form type).
 *
 * @param inputs the texts, none blank
 * @param batch whether the inputs came as a list (and are answered as one)
 * @param parameters generation settings (empty for none)
 * @param stream whether the reply should stream
 */
public record PredictionRequest(
        List<String> inputs, boolean batch, JsonObject parameters, boolean stream) {

    /** The generation settings' names, accepted at the top level too. */
    static final Set<String> GENERATION_KEYS =
            Set.of("max_new_tokens", "temperature", "top_k", "top_p", "seed");

    private static final Set<String> KEYS = Set.of("inputs", "parameters", "stream");

    /**
     * Parses a body.
     *
     * @param contentType the request's {@code Content-Type}, or null
     * @param body the body's bytes
     * @return the request
     * @throws IllegalArgumentException with a message for the client (HTTP 400)
     */
    public static PredictionRequest parse(String contentType, byte[] body) {
        String text = utf8(body);
        if (text.isBlank()) {
            throw new IllegalArgumentException(
                    "the request body is empty: send the text, or JSON {\"inputs\": \"text\"}");
        }
        String type = contentType == null ? "" : contentType.toLowerCase(Locale.ROOT);
        boolean json =
                type.contains("json")
                        || (!type.startsWith("text/plain") && text.stripLeading().startsWith("{"));
        if (!json) {
            return new PredictionRequest(List.of(text), false, new JsonObject(), false);
        }
        return fromJson(text);
    }

    private static PredictionRequest fromJson(String text) {
        JsonElement root;
        try {
            root = JsonParser.parseString(text);
        } catch (JsonParseException e) {
            throw new IllegalArgumentException(
                    "the body is not valid JSON ("
                            + rootCause(e)
                            + "): send {\"inputs\": \"text\"} or {\"inputs\": [\"text\", ...]}");
        }
        if (!root.isJsonObject()) {
            throw new IllegalArgumentException(
                    "the JSON body must be an object: {\"inputs\": \"text\"} or {\"inputs\": [\"text\", ...]}");
        }
        JsonObject object = root.getAsJsonObject();
        JsonObject parameters = new JsonObject();
        for (String key : object.keySet()) {
            if (GENERATION_KEYS.contains(key)) {
                parameters.add(key, object.get(key));
            } else if (!KEYS.contains(key)) {
                throw new IllegalArgumentException(
                        "unknown field \""
                                + key
                                + "\": a request has inputs, parameters, stream and the generation settings "
                                + String.join(", ", GENERATION_KEYS.stream().sorted().toList()));
            }
        }
        JsonElement nested = object.get("parameters");
        if (nested != null && !nested.isJsonNull()) {
            if (!nested.isJsonObject()) {
                throw new IllegalArgumentException("\"parameters\" must be a JSON object");
            }
            nested.getAsJsonObject()
                    .entrySet()
                    .forEach(e -> parameters.add(e.getKey(), e.getValue()));
        }
        boolean stream = false;
        JsonElement streamValue = object.get("stream");
        if (streamValue != null && !streamValue.isJsonNull()) {
            if (!streamValue.isJsonPrimitive() || !streamValue.getAsJsonPrimitive().isBoolean()) {
                throw new IllegalArgumentException("\"stream\" must be true or false");
            }
            stream = streamValue.getAsBoolean();
        }
        JsonElement inputs = object.get("inputs");
        if (inputs == null || inputs.isJsonNull()) {
            throw new IllegalArgumentException(
                    "the JSON body has no \"inputs\": send {\"inputs\": \"text\"} or {\"inputs\": [\"text\", ...]}");
        }
        if (inputs.isJsonArray()) {
            JsonArray array = inputs.getAsJsonArray();
            if (array.isEmpty()) {
                throw new IllegalArgumentException("\"inputs\" is an empty list: give some texts");
            }
            List<String> texts = new ArrayList<>(array.size());
            for (int i = 0; i < array.size(); i++) {
                texts.add(string(array.get(i), "inputs[" + i + "]"));
            }
            return new PredictionRequest(texts, true, parameters, stream);
        }
        return new PredictionRequest(List.of(string(inputs, "inputs")), false, parameters, stream);
    }

    private static String string(JsonElement element, String where) {
        if (!element.isJsonPrimitive() || !element.getAsJsonPrimitive().isString()) {
            throw new IllegalArgumentException(where + " must be a string, got " + element);
        }
        String text = element.getAsString();
        if (text.isBlank()) {
            throw new IllegalArgumentException(where + " is empty: give some text");
        }
        return text;
    }

    private static String utf8(byte[] body) {
        try {
            return StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(body))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("the request body is not UTF-8 text");
        }
    }

    private static String rootCause(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.toString() : t.getMessage();
    }
}
