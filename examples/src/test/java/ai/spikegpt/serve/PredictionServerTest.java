package ai.spikegpt.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.inference.Predictor;
import ai.djl.modality.Classifications;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ZooModel;
import ai.spikegpt.translator.SpikeGptTranslatorFactory;
import ai.spikegpt.zoo.SpikeGptModelZoo;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code spikegpt serve} end to end: the zoo's sentiment classifier and character model behind a
 * server on a free localhost port, asked over HTTP; the answers are compared with DJL's {@code
 * Predictor} on the same models.
 */
class PredictionServerTest {

    static final String SST2 = SpikeGptModelZoo.SENTIMENT;
    static final String CHAR = SpikeGptModelZoo.CHARACTERS;
    static final int MAX_BODY = 4096;
    static final List<String> TEXTS =
            List.of(
                    "A gorgeous, witty, seductive movie.",
                    "The plot is dull and the acting is dreadful.",
                    "an unwatchable , unfunny mess",
                    "It is a film about love, loss and the long way home, and it is wonderful.",
                    "meh");

    static PredictionServer server;
    static ZooModel<String, Classifications> reference;
    static Predictor<String, Classifications> predictor;
    static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        ServerOptions options =
                ServerOptions.builder()
                        .optPort(0)
                        .optBatchSize(8)
                        .optMaxBatchDelayMillis(5)
                        .optQueueSize(100)
                        .optMaxBodyBytes(MAX_BODY)
                        .build();
        ModelRegistry registry = new ModelRegistry();
        registry.load(SST2, SpikeGptModelZoo.modelDirectory(SST2), options);
        registry.load(CHAR, SpikeGptModelZoo.modelDirectory(CHAR), options);
        server = PredictionServer.start(registry, options);
        reference = classifierCriteria(SpikeGptModelZoo.modelDirectory(SST2)).loadModel();
        predictor = reference.newPredictor();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
        if (predictor != null) {
            predictor.close();
            reference.close();
        }
    }

    static Criteria<String, Classifications> classifierCriteria(Path dir) {
        return Criteria.builder()
                .setTypes(String.class, Classifications.class)
                .optModelPath(dir)
                .optEngine("PyTorch")
                .optTranslatorFactory(new SpikeGptTranslatorFactory())
                .build();
    }

    static URI uri(int port, String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    static HttpResponse<String> post(int port, String path, String contentType, String body)
            throws Exception {
        HttpRequest.Builder request =
                HttpRequest.newBuilder(uri(port, path))
                        .timeout(Duration.ofSeconds(60))
                        .POST(HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> post(String model, String contentType, String body)
            throws Exception {
        return post(server.port(), "/predictions/" + model, contentType, body);
    }

    static HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(
                HttpRequest.newBuilder(uri(server.port(), path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    static String json(Object value) {
        return new com.google.gson.Gson().toJson(value);
    }

    /** The server's classification equals the predictor's: same labels, same probabilities. */
    static void assertSameClassification(String text, JsonElement served) throws Exception {
        Classifications expected = predictor.predict(text);
        JsonArray items = served.getAsJsonArray();
        assertEquals(expected.getClassNames().size(), items.size(), text);
        for (JsonElement item : items) {
            String label = item.getAsJsonObject().get("className").getAsString();
            double probability = item.getAsJsonObject().get("probability").getAsDouble();
            assertEquals(
                    expected.get(label).getProbability(), probability, 1e-5, text + ": " + label);
        }
        assertEquals(
                expected.best().getClassName(),
                items.get(0).getAsJsonObject().get("className").getAsString(),
                text);
    }

    @Test
    void pingAndModels() throws Exception {
        HttpResponse<String> ping = get("/ping");
        assertEquals(200, ping.statusCode());
        assertEquals(
                "Healthy",
                JsonParser.parseString(ping.body()).getAsJsonObject().get("status").getAsString());
        HttpResponse<String> models = get("/models");
        assertEquals(200, models.statusCode());
        JsonArray list =
                JsonParser.parseString(models.body()).getAsJsonObject().getAsJsonArray("models");
        assertEquals(2, list.size());
        JsonObject sst2 = list.get(0).getAsJsonObject();
        assertEquals(SST2, sst2.get("modelName").getAsString());
        assertEquals("nlp/sentiment_analysis", sst2.get("application").getAsString());
        assertEquals("[\"negative\",\"positive\"]", sst2.get("labels").toString());
        JsonObject chars = list.get(1).getAsJsonObject();
        assertEquals(CHAR, chars.get("modelName").getAsString());
        assertEquals("nlp/text_generation", chars.get("application").getAsString());
        assertEquals(0, chars.getAsJsonArray("labels").size());
    }

    @Test
    void textBodyAndInputsObjectGiveThePredictorsClassification() throws Exception {
        for (String text : TEXTS) {
            HttpResponse<String> plain = post(SST2, "text/plain", text);
            assertEquals(200, plain.statusCode(), plain.body());
            assertTrue(
                    plain.headers()
                            .firstValue("Content-Type")
                            .orElse("")
                            .startsWith("application/json"));
            assertSameClassification(text, JsonParser.parseString(plain.body()));
            HttpResponse<String> object =
                    post(SST2, "application/json", json(java.util.Map.of("inputs", text)));
            assertEquals(200, object.statusCode(), object.body());
            assertSameClassification(text, JsonParser.parseString(object.body()));
        }
        // curl -d sends a form content type: a body that starts with { is read as JSON
        HttpResponse<String> form =
                post(SST2, "application/x-www-form-urlencoded", "{\"inputs\": \"meh\"}");
        assertSameClassification("meh", JsonParser.parseString(form.body()));
    }

    @Test
    void aListOfInputsIsAnsweredInOrder() throws Exception {
        HttpResponse<String> reply =
                post(SST2, "application/json", json(java.util.Map.of("inputs", TEXTS)));
        assertEquals(200, reply.statusCode(), reply.body());
        JsonArray answers = JsonParser.parseString(reply.body()).getAsJsonArray();
        assertEquals(TEXTS.size(), answers.size());
        for (int i = 0; i < TEXTS.size(); i++) {
            assertSameClassification(TEXTS.get(i), answers.get(i));
        }
    }

    @Test
    void concurrentRequestsAreBatchedAndEachGetsItsOwnAnswer() throws Exception {
        List<java.util.concurrent.CompletableFuture<HttpResponse<String>>> replies =
                new ArrayList<>();
        for (int i = 0; i < 24; i++) {
            String text = TEXTS.get(i % TEXTS.size());
            replies.add(
                    HTTP.sendAsync(
                            HttpRequest.newBuilder(uri(server.port(), "/predictions/" + SST2))
                                    .POST(HttpRequest.BodyPublishers.ofString(text))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString()));
        }
        for (int i = 0; i < replies.size(); i++) {
            HttpResponse<String> reply = replies.get(i).get();
            assertEquals(200, reply.statusCode(), reply.body());
            assertSameClassification(
                    TEXTS.get(i % TEXTS.size()), JsonParser.parseString(reply.body()));
        }
    }

    static void assertError(HttpResponse<String> reply, int status, String messagePart) {
        assertEquals(status, reply.statusCode(), reply.body());
        JsonObject error = JsonParser.parseString(reply.body()).getAsJsonObject();
        assertEquals(status, error.get("code").getAsInt());
        String message = error.get("message").getAsString();
        assertTrue(message.contains(messagePart), message + " should say " + messagePart);
    }

    @Test
    void badRequestsGet400WithAMessage() throws Exception {
        assertError(post(SST2, "application/json", "{\"inputs\": "), 400, "not valid JSON");
        assertError(post(SST2, "application/json", "[1, 2]"), 400, "must be an object");
        assertError(post(SST2, "text/plain", "   "), 400, "empty");
        assertError(post(SST2, "text/plain", ""), 400, "empty");
        assertError(post(SST2, "application/json", "{\"inputs\": \"\"}"), 400, "inputs is empty");
        assertError(post(SST2, "application/json", "{\"inputs\": []}"), 400, "empty list");
        assertError(
                post(SST2, "application/json", "{\"inputs\": [\"ok\", 3]}"),
                400,
                "inputs[1] must be a string");
        assertError(
                post(SST2, "application/json", "{\"text\": \"hi\"}"),
                400,
                "unknown field \"text\"");
        assertError(
                post(SST2, "application/json", "{\"inputs\": \"hi\", \"seed\": 1}"),
                400,
                "is a classifier");
        assertError(
                post(CHAR, "application/json", "{\"inputs\": \"ROMEO:\", \"temperature\": -1}"),
                400,
                "temperature");
        assertError(
                post(
                        CHAR,
                        "application/json",
                        "{\"inputs\": \"ROMEO:\", \"parameters\": {\"top_p\": 2}}"),
                400,
                "top-p");
        assertError(
                post(
                        CHAR,
                        "application/json",
                        "{\"inputs\": \"ROMEO:\", \"max_new_tokens\": \"many\"}"),
                400,
                "max_new_tokens must be an integer");
        assertError(
                post(CHAR, "application/json", "{\"inputs\": \"ROMEO:\", \"max_new_tokens\": 2.5}"),
                400,
                "max_new_tokens must be an integer");
        assertError(
                post(
                        CHAR,
                        "application/json",
                        "{\"inputs\": \"ROMEO:\", \"max_new_tokens\": 100000}"),
                400,
                "max_new_tokens must be between");
        assertError(
                post(
                        CHAR,
                        "application/json",
                        "{\"inputs\": \"ROMEO:\", \"parameters\": {\"top_q\": 1}}"),
                400,
                "unknown parameter \"top_q\"");
        assertError(
                post(CHAR, "application/json", "{\"inputs\": [\"a\", \"b\"], \"stream\": true}"),
                400,
                "stream takes one prompt");
        assertError(post(CHAR, "text/plain", "\u65e5\u672c"), 400, "");
        assertError(post("no-such-model", "text/plain", "hi"), 404, "no model named no-such-model");
        assertEquals(405, get("/predictions/" + SST2).statusCode());
    }

    @Test
    void bodiesOverTheLimitGet413() throws Exception {
        assertError(
                post(
                        CHAR,
                        "application/json",
                        json(java.util.Map.of("inputs", java.util.Collections.nCopies(65, "A")))),
                413,
                "65 prompts in one request, more than 64");
        assertError(
                post(SST2, "text/plain", "a".repeat(MAX_BODY + 1)), 413, "limit of " + MAX_BODY);
        assertEquals(200, post(SST2, "text/plain", "a".repeat(MAX_BODY)).statusCode());
    }

    /** The events of a server-sent-event reply, each one's JSON data. */
    static List<JsonObject> events(String body) {
        return body.lines()
                .filter(l -> l.startsWith("data: "))
                .map(l -> JsonParser.parseString(l.substring(6)).getAsJsonObject())
                .toList();
    }

    @Test
    void streamedTokensMakeTheSameTextAsTheWholeReplyAndThePredictor() throws Exception {
        String settings =
                "\"max_new_tokens\": 30, \"temperature\": 0.8, \"top_k\": 20, \"seed\": 7";
        HttpResponse<String> whole =
                post(CHAR, "application/json", "{\"inputs\": \"ROMEO:\", " + settings + "}");
        assertEquals(200, whole.statusCode(), whole.body());
        String text =
                JsonParser.parseString(whole.body())
                        .getAsJsonObject()
                        .get("generated_text")
                        .getAsString();
        assertTrue(text.length() > 5, text);

        HttpResponse<String> streamed =
                post(
                        CHAR,
                        "application/json",
                        "{\"inputs\": \"ROMEO:\", \"stream\": true, \"parameters\": {"
                                + settings
                                + "}}");
        assertEquals(200, streamed.statusCode(), streamed.body());
        assertTrue(
                streamed.headers()
                        .firstValue("Content-Type")
                        .orElse("")
                        .startsWith("text/event-stream"));
        List<JsonObject> events = events(streamed.body());
        List<String> tokens =
                events.stream()
                        .filter(e -> e.has("token"))
                        .map(e -> e.get("token").getAsString())
                        .toList();
        assertTrue(tokens.size() > 5, "tokens arrive as separate events: " + tokens);
        assertEquals(text, String.join("", tokens));
        assertEquals(text, events.get(events.size() - 1).get("generated_text").getAsString());

        // the same settings through DJL's Criteria and Predictor
        Criteria<String, String> criteria =
                Criteria.builder()
                        .setTypes(String.class, String.class)
                        .optModelPath(SpikeGptModelZoo.modelDirectory(CHAR))
                        .optEngine("PyTorch")
                        .optTranslatorFactory(new SpikeGptTranslatorFactory())
                        .optArgument("maxNewTokens", 30)
                        .optArgument("temperature", 0.8)
                        .optArgument("topK", 20)
                        .optArgument("seed", 7)
                        .build();
        try (ZooModel<String, String> model = criteria.loadModel();
                Predictor<String, String> generator = model.newPredictor()) {
            assertEquals(generator.predict("ROMEO:"), text);
        }

        HttpResponse<String> list =
                post(
                        CHAR,
                        "application/json",
                        "{\"inputs\": [\"ROMEO:\", \"JULIET:\"], " + settings + "}");
        JsonArray answers = JsonParser.parseString(list.body()).getAsJsonArray();
        assertEquals(2, answers.size());
        assertEquals(text, answers.get(0).getAsJsonObject().get("generated_text").getAsString());
    }

    @Test
    void streamedEventsArriveWhileTheGenerationRuns() throws Exception {
        HttpRequest request =
                HttpRequest.newBuilder(uri(server.port(), "/predictions/" + CHAR))
                        .header("Content-Type", "application/json")
                        .POST(
                                HttpRequest.BodyPublishers.ofString(
                                        "{\"inputs\": \"KING:\", \"stream\": true, \"max_new_tokens\": 80, \"seed\": 3}"))
                        .build();
        List<Long> arrivals = new ArrayList<>();
        HttpResponse<java.util.stream.Stream<String>> reply =
                HTTP.send(request, HttpResponse.BodyHandlers.ofLines());
        List<String> lines =
                reply.body()
                        .peek(l -> arrivals.add(System.nanoTime()))
                        .filter(l -> l.startsWith("data: "))
                        .collect(Collectors.toList());
        assertTrue(lines.size() > 20, lines.toString());
        // the first event is read well before the last is written: the reply is not buffered
        long spreadMillis = (arrivals.get(arrivals.size() - 1) - arrivals.get(0)) / 1_000_000;
        assertTrue(spreadMillis > 20, "events arrived within " + spreadMillis + " ms");
    }

    /**
     * A client that closes the stream early frees the worker: the next generation (one worker) runs
     * at once instead of after the abandoned 2048 tokens (about 5 s on a quiet 2-core machine,
     * longer under load; so on a fast machine this guards the path more than it proves it).
     */
    @Test
    void aStreamingClientThatGoesAwayFreesTheWorker() throws Exception {
        HttpRequest endless =
                HttpRequest.newBuilder(uri(server.port(), "/predictions/" + CHAR))
                        .header("Content-Type", "application/json")
                        .POST(
                                HttpRequest.BodyPublishers.ofString(
                                        "{\"inputs\": \"KING:\", \"stream\": true, \"max_new_tokens\": 2048}"))
                        .build();
        HttpResponse<java.io.InputStream> reply =
                HTTP.send(endless, HttpResponse.BodyHandlers.ofInputStream());
        try (java.io.BufferedReader events =
                new java.io.BufferedReader(
                        new java.io.InputStreamReader(
                                reply.body(), java.nio.charset.StandardCharsets.UTF_8))) {
            assertTrue(events.readLine().startsWith("data: {\"token\""));
        } // closes the connection after one event
        HttpRequest next =
                HttpRequest.newBuilder(uri(server.port(), "/predictions/" + CHAR))
                        .header("Content-Type", "application/json")
                        .timeout(Duration.ofSeconds(15))
                        .POST(
                                HttpRequest.BodyPublishers.ofString(
                                        "{\"inputs\": \"KING:\", \"max_new_tokens\": 5}"))
                        .build();
        assertEquals(200, HTTP.send(next, HttpResponse.BodyHandlers.ofString()).statusCode());
    }
}
