package ai.spikegpt.cli;

/**
 * Makes user text safe to echo to a terminal: control characters (an escape sequence could move the
 * cursor, recolour or retitle the terminal, or hide the rest of the line) are shown as {@code
 * \\uXXXX} instead of being sent raw.
 */
final class Printable {

    private Printable() {}

    /**
     * @param text user text
     * @return the text with every control character (C0, DEL, C1, line breaks included) escaped
     */
    static String escapeControls(String text) {
        StringBuilder out = new StringBuilder(text.length());
        text.codePoints()
                .forEach(
                        c -> {
                            if (Character.getType(c) == Character.CONTROL) {
                                out.append(String.format("\\u%04X", c));
                            } else {
                                out.appendCodePoint(c);
                            }
                        });
        return out.toString();
    }
}
