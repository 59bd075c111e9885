package ai.spikegpt.serve;

import ai.djl.inference.Predictor;
import ai.djl.modality.Classifications;
import ai.djl.translate.TranslateException;
import ai.spikegpt.generate.SamplingConfig;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.javalin.http.Context;
import io.javalin.http.NotFoundResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * The REST API, DJL Serving's shape: {@code GET /ping}, {@code GET /models}, {@code POST
 * /predictions/{name}}. A classifier answers with DJL's {@link Classifications} JSON ({@code
 * [{"className": ..., "probability": ...}, ...]}), a list of inputs with a list of those. A
 * language model answers {@code {"generated_text": continuation}}, or with {@code "stream": true}
 * server-sent events: {@code data: {"token": piece}} as the pieces are produced, then {@code data:
 * {"generated_text": whole}}. Requests wait on the models' workers without holding an HTTP thread.
 */
final class Routes {

    /** The most prompts in one request: a bound on the time it holds a worker. */
    static final int MAX_PROMPTS = 64;

    private final ModelRegistry registry;
    private final int maxBodyBytes;

    Routes(ModelRegistry registry, int maxBodyBytes) {
        this.registry = registry;
        this.maxBodyBytes = maxBodyBytes;
    }

    void ping(Context ctx) {
        JsonObject status = new JsonObject();
        status.addProperty("status", "Healthy");
        json(ctx, status);
    }

    void models(Context ctx) {
        JsonArray list = new JsonArray();
        for (ServedModel model : registry.all()) {
            JsonObject entry = new JsonObject();
            entry.addProperty("modelName", model.name());
            entry.addProperty("application", model.application().getPath());
            JsonArray labels = new JsonArray();
            model.labels().forEach(labels::add);
            entry.add("labels", labels);
            entry.addProperty("status", "READY");
            list.add(entry);
        }
        JsonObject reply = new JsonObject();
        reply.add("models", list);
        json(ctx, reply);
    }

    void predict(Context ctx) {
        String name = ctx.pathParam("name");
        ServedModel model =
                registry.get(name)
                        .orElseThrow(
                                () ->
                                        new NotFoundResponse(
                                                "no model named "
                                                        + name
                                                        + ": GET /models lists the served ones"));
        PredictionRequest request = PredictionRequest.parse(ctx.contentType(), body(ctx));
        CompletableFuture<Void> done;
        if (model instanceof ServedClassifier classifier) {
            done = classify(ctx, classifier, request);
        } else {
            done = generate(ctx, (ServedLanguageModel) model, request);
        }
        ctx.future(
                () ->
                        done.exceptionally(
                                e -> {
                                    HttpErrors.reply(ctx, e);
                                    return null;
                                }));
    }

    private CompletableFuture<Void> classify(
            Context ctx, ServedClassifier classifier, PredictionRequest request) {
        if (GenerationParameters.any(request.parameters()) || request.stream()) {
            throw new IllegalArgumentException(
                    classifier.name()
                            + " is a classifier: generation settings and stream apply to language models");
        }
        return classifier
                .batcher()
                .submit(request.inputs())
                .thenAccept(
                        results -> {
                            if (!request.batch()) {
                                json(ctx, results.get(0).serialize());
                                return;
                            }
                            JsonArray list = new JsonArray();
                            results.forEach(c -> list.add(c.serialize()));
                            json(ctx, list);
                        });
    }

    private CompletableFuture<Void> generate(
            Context ctx, ServedLanguageModel lm, PredictionRequest request) {
        SamplingConfig sampling =
                GenerationParameters.sampling(request.parameters(), lm.tokenizer());
        if (request.stream() && request.batch()) {
            throw new IllegalArgumentException(
                    "stream takes one prompt: send {\"inputs\": \"text\", \"stream\": true}");
        }
        if (request.inputs().size() > MAX_PROMPTS) {
            throw new RequestTooLargeException(
                    request.inputs().size()
                            + " prompts in one request, more than "
                            + MAX_PROMPTS
                            + ": send them in several requests");
        }
        if (request.stream()) {
            return lm.submit(() -> stream(ctx, lm, sampling, request.inputs().get(0)));
        }
        return lm.submit(
                () -> {
                    JsonArray list = new JsonArray();
                    try (Predictor<String, String> predictor = lm.predictor(sampling)) {
                        for (String prompt : request.inputs()) {
                            list.add(generated(predictor.predict(prompt)));
                        }
                    } catch (TranslateException e) {
                        throw new CompletionException(e); // a 400 if a bad prompt caused it
                    }
                    json(ctx, request.batch() ? list : list.get(0));
                });
    }

    /** Streams one generation as server-sent events ({@link EventStream}). */
    private static void stream(
            Context ctx, ServedLanguageModel lm, SamplingConfig sampling, String prompt) {
        try (Predictor<String, Iterator<String>> predictor = lm.streamingPredictor(sampling)) {
            Iterator<String> pieces;
            try {
                pieces = predictor.streamingPredict(prompt).getIterativeOutput();
            } catch (TranslateException e) {
                throw new CompletionException(e); // a 400 if a bad prompt caused it
            }
            EventStream.write(ctx, pieces);
        }
    }

    private static JsonObject generated(String text) {
        JsonObject reply = new JsonObject();
        reply.addProperty("generated_text", text);
        return reply;
    }

    /** The body, refused with 413 beyond the limit (checked before and while reading). */
    private byte[] body(Context ctx) {
        long declared = ctx.req().getContentLengthLong();
        if (declared > maxBodyBytes) {
            throw tooLarge(declared);
        }
        try (InputStream in = ctx.bodyInputStream()) {
            byte[] body = in.readNBytes(maxBodyBytes + 1);
            if (body.length > maxBodyBytes) {
                throw tooLarge(-1);
            }
            return body;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the request body", e);
        }
    }

    private RequestTooLargeException tooLarge(long size) {
        return new RequestTooLargeException(
                "the request body "
                        + (size >= 0 ? "has " + size + " bytes, " : "is ")
                        + "more than the limit of "
                        + maxBodyBytes
                        + " bytes: send fewer or shorter texts");
    }

    private static void json(Context ctx, JsonElement body) {
        ctx.contentType("application/json").result(body.toString());
    }
}
