package ai.spikegpt.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.spikegpt.TestSupport;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TextNormalizationTest {

    @Test
    void writesTypedTextTheWaySstIsWritten() {
        TextNormalization ptb = TextNormalization.PTB_LOWERCASE;
        assertEquals("do n't miss it -lrb- really -rrb- !", ptb.apply("Don't miss it (really)!"));
        assertEquals(
                "it 's a gorgeous , witty , seductive movie .",
                ptb.apply("It's a gorgeous, witty, seductive movie."));
        assertEquals(
                "i ca n't believe mr. smith wo n't return ... sad",
                ptb.apply("I can't believe Mr. Smith won't return... sad"));
        assertEquals(
                "the director 's `` vision '' -- such as it is -- fails ; badly .",
                ptb.apply("The director’s \"vision\" — such as it is — fails; badly."));
        assertEquals(
                "we saw it 10,000 times , in 2 , 3 or 4 theatres !?",
                ptb.apply("We saw it 10,000 times, in 2, 3 or 4 theatres!?"));
        assertEquals("What's up?", TextNormalization.NONE.apply("What's up?"));
    }

    @Test
    void leavesSstSentencesAsTheyAre() throws Exception {
        List<String> changed = new ArrayList<>();
        int count = 0;
        for (String name :
                List.of(
                        "sst2/stsa.binary.train",
                        "sst2/stsa.binary.dev",
                        "sst2/stsa.binary.test")) {
            Path file = TestSupport.shared().resolve("data").resolve(name);
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                String text = line.substring(line.indexOf(' ') + 1).strip();
                count++;
                if (!TextNormalization.PTB_LOWERCASE.apply(text).equals(text)) {
                    changed.add(text + "  ->  " + TextNormalization.PTB_LOWERCASE.apply(text));
                }
            }
        }
        assertEquals(List.of(), changed, changed.size() + " of " + count + " changed");
    }

    @Test
    void parsesNames() {
        assertEquals(TextNormalization.PTB_LOWERCASE, TextNormalization.parse("ptb-lowercase"));
        assertEquals(TextNormalization.NONE, TextNormalization.parse("none"));
        assertThrows(IllegalArgumentException.class, () -> TextNormalization.parse("nfkc"));
        assertEquals("ptb_lowercase", TextNormalization.PTB_LOWERCASE.id());
    }
}
