package ai.spikegpt.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.inference.Predictor;
import ai.djl.modality.Classifications;
import ai.djl.repository.zoo.ZooModel;
import ai.spikegpt.zoo.SpikeGptModelZoo;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code spark-classify} in local mode with the zoo's SST-2 model: one JSON line per input line
 * with the {@code Predictor}'s answer, and for each bad input one error line and no output folder
 * (neither the output nor a half-written sibling).
 */
class SparkClassifyCommandTest {

    private static final List<String> TEXTS =
            List.of(
                    "A gorgeous, witty, seductive movie.",
                    "The plot is dull and the acting is dreadful.",
                    "an unwatchable , unfunny mess .",
                    "It is a film that rewards patience, and I loved every minute of it.");

    @TempDir Path tmp;

    private Object[] sparkClassify(String... args) {
        List<String> all = new ArrayList<>(List.of("spark-classify", "--master", "local[1]"));
        all.addAll(List.of(args));
        return ImportExportCommandTest.cli(all.toArray(String[]::new));
    }

    /** The one error line, after checking that the command failed as a user error. */
    private static String error(Object[] result) {
        assertEquals(ErrorReport.USER_ERROR, result[0], result[2].toString());
        List<String> errors =
                ((String) result[2]).lines().filter(l -> l.startsWith("error: ")).toList();
        assertEquals(1, errors.size(), result[2].toString());
        return errors.get(0);
    }

    /** Nothing under the output's name, nor a hidden sibling of a failed write. */
    private void assertNoOutput(Path out) throws Exception {
        assertFalse(Files.exists(out), out + " exists");
        try (Stream<Path> files = Files.list(out.getParent())) {
            List<String> leftovers =
                    files.map(f -> f.getFileName().toString())
                            .filter(n -> n.startsWith("." + out.getFileName()))
                            .toList();
            assertEquals(List.of(), leftovers, "half-written output");
        }
    }

    private static List<JsonObject> jsonLines(Path folder) throws Exception {
        List<JsonObject> rows = new ArrayList<>();
        try (Stream<Path> files = Files.list(folder)) {
            for (Path part :
                    files.filter(f -> f.getFileName().toString().startsWith("part-"))
                            .sorted()
                            .toList()) {
                for (String line : Files.readAllLines(part)) {
                    rows.add(JsonParser.parseString(line).getAsJsonObject());
                }
            }
        }
        return rows;
    }

    @Test
    void writesOneAnswerPerLineAsThePredictorGivesIt() throws Exception {
        Path input = Files.write(tmp.resolve("texts.txt"), TEXTS);
        Path out = tmp.resolve("answers");
        Object[] result =
                sparkClassify(
                        "--model",
                        SpikeGptModelZoo.SENTIMENT,
                        "--input",
                        input.toString(),
                        "--output",
                        out.toString());
        assertEquals(0, result[0], result[2].toString());
        assertTrue(result[1].toString().contains("classified 4 texts in "), result[1].toString());
        assertTrue(result[1].toString().contains("rows/s"), result[1].toString());
        assertTrue(Files.exists(out.resolve("_SUCCESS")));
        assertNoOutput(tmp.resolve("elsewhere")); // and no hidden sibling of answers
        List<JsonObject> rows = jsonLines(out);
        assertEquals(TEXTS.size(), rows.size());

        try (ZooModel<String, Classifications> model =
                        ClassifierCriteria.of(SpikeGptModelZoo.modelDirectory("spikegpt-sst2"))
                                .loadModel();
                Predictor<String, Classifications> predictor = model.newPredictor()) {
            List<Classifications> expected = predictor.batchPredict(TEXTS);
            for (int i = 0; i < TEXTS.size(); i++) {
                JsonObject row = rows.get(i);
                Classifications want = expected.get(i);
                assertEquals(TEXTS.get(i), row.get("text").getAsString());
                assertEquals(want.best().getClassName(), row.get("label").getAsString());
                assertEquals(
                        want.best().getProbability(), row.get("probability").getAsDouble(), 1e-6);
                for (String label : List.of("negative", "positive")) {
                    assertEquals(
                            want.get(label).getProbability(),
                            row.get(label).getAsDouble(),
                            1e-6,
                            TEXTS.get(i));
                }
            }
        }

        // finished output is kept without --force, replaced whole with it
        String refused =
                error(sparkClassify("--input", input.toString(), "--output", out.toString()));
        assertEquals(
                "error: " + out + " exists: choose another --output, or --force to overwrite",
                refused);
        Files.write(input, TEXTS.subList(0, 2));
        Object[] forced =
                sparkClassify("--input", input.toString(), "--output", out.toString(), "--force");
        assertEquals(0, forced[0], forced[2].toString());
        assertEquals(2, jsonLines(out).size());
        assertNoOutput(tmp.resolve("nothing"));
    }

    @Test
    void aMissingOrEmptyInputIsOneErrorAndNoOutput() throws Exception {
        Path out = tmp.resolve("answers");
        assertTrue(
                error(
                                sparkClassify(
                                        "--input",
                                        tmp.resolve("missing.txt").toString(),
                                        "--output",
                                        out.toString()))
                        .contains("no such file or folder: " + tmp.resolve("missing.txt")));
        assertNoOutput(out);

        Path empty = Files.writeString(tmp.resolve("empty.txt"), "");
        assertTrue(
                error(sparkClassify("--input", empty.toString(), "--output", out.toString()))
                        .contains("empty.txt is empty: nothing to classify"));
        assertNoOutput(out);

        Path folder = Files.createDirectory(tmp.resolve("no-texts"));
        assertTrue(
                error(sparkClassify("--input", folder.toString(), "--output", out.toString()))
                        .contains("no-texts holds no texts: nothing to classify"));
        assertNoOutput(out);
    }

    @Test
    void aMissingTextColumnIsOneErrorAndNoOutput() throws Exception {
        Path csv = Files.writeString(tmp.resolve("reviews.csv"), "id,review\n1,a fine film\n");
        Path out = tmp.resolve("answers");
        String line =
                error(
                        sparkClassify(
                                "--input",
                                csv.toString(),
                                "--format",
                                "csv",
                                "--output",
                                out.toString()));
        assertTrue(
                line.contains(
                        "reviews.csv has no column 'text' (it has id, review): give the texts' column with --text-column"),
                line);
        assertNoOutput(out);
    }

    @Test
    void aLanguageModelIsNoClassifier() throws Exception {
        Path input = Files.write(tmp.resolve("texts.txt"), TEXTS);
        Path out = tmp.resolve("answers");
        String line =
                error(
                        sparkClassify(
                                "--model",
                                SpikeGptModelZoo.PROSE,
                                "--input",
                                input.toString(),
                                "--output",
                                out.toString()));
        assertTrue(line.contains("spikegpt-prose is a language model, not a classifier"), line);
        assertNoOutput(out);
    }

    @Test
    void aModelTheExecutorsCannotLoadFailsTheJobAndLeavesNoOutput() throws Exception {
        Path input = Files.write(tmp.resolve("texts.txt"), TEXTS);
        Path out = tmp.resolve("answers");
        String url = tmp.resolve("no-such-model.zip").toUri().toString();
        String line =
                error(
                        sparkClassify(
                                "--model",
                                url,
                                "--input",
                                input.toString(),
                                "--output",
                                out.toString()));
        assertTrue(line.contains("no-such-model"), line);
        assertNoOutput(out);
    }
}
