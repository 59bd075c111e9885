package ai.spikegpt.files;

import com.google.gson.FieldNamingPolicy;
import com.google.gson.JsonObject;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * Refuses the keys of a JSON file that no field reads, so that a typo ({@code n_embed}) is an error
 * naming the key it probably meant instead of a silently ignored setting.
 */
public final class JsonKeys {

    /** Keys this many edits or more away from every known key get no suggestion. */
    private static final int FARTHEST_SUGGESTION = 3;

    private JsonKeys() {}

    /**
     * Returns the snake_case JSON keys of the instance fields of classes read by Gson with {@link
     * FieldNamingPolicy#LOWER_CASE_WITH_UNDERSCORES} (static and transient fields are not read).
     *
     * @param types the classes whose fields one JSON object fills
     * @return the keys, sorted
     */
    public static Set<String> snakeCaseFields(Class<?>... types) {
        Set<String> known = new TreeSet<>();
        for (Class<?> type : types) {
            for (Field f : type.getDeclaredFields()) {
                int modifiers = f.getModifiers();
                if (!Modifier.isStatic(modifiers) && !Modifier.isTransient(modifiers)) {
                    known.add(FieldNamingPolicy.LOWER_CASE_WITH_UNDERSCORES.translateName(f));
                }
            }
        }
        return known;
    }

    /**
     * Checks that an object has only known keys.
     *
     * @param object the JSON object
     * @param known the keys it may have
     * @param prefix how the object's keys are named in the message, e.g. {@code "init."}
     * @throws IllegalArgumentException naming the first unknown key, the closest known one and all
     *     known keys
     */
    public static void check(JsonObject object, Set<String> known, String prefix) {
        for (String key : object.keySet()) {
            if (!known.contains(key)) {
                String hint = closest(key, known);
                throw new IllegalArgumentException(
                        "unknown configuration key '"
                                + prefix
                                + key
                                + "'"
                                + (hint == null ? "" : " (did you mean '" + prefix + hint + "'?)")
                                + "; known keys: "
                                + known);
            }
        }
    }

    private static String closest(String key, Set<String> known) {
        String best = null;
        int bestDistance = FARTHEST_SUGGESTION;
        for (String k : known) {
            int d = levenshtein(key.toLowerCase(Locale.ROOT), k);
            if (d < bestDistance) {
                bestDistance = d;
                best = k;
            }
        }
        return best;
    }

    /** The edit distance: the fewest insertions, deletions and substitutions from a to b. */
    private static int levenshtein(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
