/**
 * Batch classification on Apache Spark: {@link ai.spikegpt.spark.TextClassifier}, a Spark ML {@code
 * Transformer} that adds a classifier's answer (label, its probability, every class's probability)
 * to a text column of a DataFrame.
 *
 * <p>Each executor JVM loads a model once ({@link ai.spikegpt.spark.ClassifierModels}) and its
 * tasks share it, each with its own DJL {@code Predictor}; a partition is classified in
 * length-sorted batches ({@link ai.spikegpt.spark.PartitionClassifier}) through the same translator
 * and block as {@code Predictor.batchPredict}, so the answers are the {@code Predictor}'s. Spark is
 * a {@code provided} dependency: the library's other users do not carry it, and on a cluster
 * Spark's own jars are used.
 *
 * <p>The top layer of the library: it uses the zoo, the translators and the model directories below
 * it, and nothing uses it.
 */
package ai.spikegpt.spark;
