/**
 * Files that users give and files this project writes, at the bottom of every layer: {@link
 * ai.spikegpt.files.TextFiles} reads text strictly (the encoding checked, a byte-order mark
 * dropped, the line of a bad byte named), and {@link ai.spikegpt.files.AtomicFiles} writes a file
 * so that a kill at any moment leaves the old content or the new, never a part; {@link
 * ai.spikegpt.files.JsonKeys} refuses the unknown keys of a JSON settings file with a suggestion.
 */
package ai.spikegpt.files;
