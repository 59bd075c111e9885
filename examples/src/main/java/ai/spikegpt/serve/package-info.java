/**
 * {@code spikegpt serve}: the zoo's classifiers and language models behind an HTTP endpoint that
 * speaks DJL Serving's REST API ({@code GET /ping}, {@code GET /models}, {@code POST
 * /predictions/{name}}), on Javalin (embedded Jetty).
 *
 * <p>One job a file: {@link ai.spikegpt.serve.PredictionServer} starts and stops the server, {@link
 * ai.spikegpt.serve.Routes} answers the requests, {@link ai.spikegpt.serve.PredictionRequest}
 * parses a body, {@link ai.spikegpt.serve.GenerationParameters} checks the sampling settings,
 * {@link ai.spikegpt.serve.ClassifierBatcher} collects classifier requests into padded batches (DJL
 * Serving's dynamic batching), {@link ai.spikegpt.serve.ModelRegistry} holds the loaded models and
 * {@link ai.spikegpt.serve.LoadTest} measures the whole.
 */
package ai.spikegpt.serve;
