package ai.spikegpt.cli;

import ai.djl.TrainingDivergedException;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.NoSuchFileException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/**
 * The command line's one error path. A user error (bad text, bad option, unreadable or damaged
 * file, a diverged training run) prints one line, {@code error: what was wrong and what to do}, and
 * exits with status 2; anything else is a bug and prints one line too, asking for {@code
 * --verbose}, and exits with status 1. The stack trace is printed only with {@code --verbose}.
 *
 * <p>Libraries wrap the user's mistake on its way up (DJL's {@code Predictor} turns the
 * translator's {@code IllegalArgumentException} into a {@code TranslateException}), so the message
 * shown is that of the first user error in the cause chain: the one that says what was wrong.
 */
final class ErrorReport implements IExecutionExceptionHandler {

    static final int USER_ERROR = 2;
    static final int INTERNAL_ERROR = 1;

    @Override
    public int handleExecutionException(
            Exception e, CommandLine commandLine, ParseResult parseResult) {
        PrintWriter err = commandLine.getErr();
        if (parseResult.originalArgs().contains("--verbose")) {
            e.printStackTrace(err);
        }
        Throwable userError = userError(e);
        if (userError != null) {
            err.println("error: " + Printable.escapeControls(message(userError)));
            err.flush();
            return USER_ERROR;
        }
        err.println(
                "error: "
                        + e
                        + " (an internal error: run again with --verbose for the stack trace, and report it)");
        err.flush();
        return INTERNAL_ERROR;
    }

    /**
     * The first exception in the cause chain that describes a user's mistake, or null. The first,
     * since a wrapper of our own adds context to the cause's message ("cannot open zoo artifact X:
     * ..."); DJL's wrappers are skipped because they are not user errors.
     */
    static Throwable userError(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (isUserError(t)) {
                return t;
            }
        }
        return null;
    }

    private static boolean isUserError(Throwable t) {
        return t instanceof IllegalArgumentException
                || t instanceof IllegalStateException
                || t instanceof IOException
                || t instanceof UncheckedIOException
                || t instanceof TrainingDivergedException;
    }

    /** The exception's message, or a sentence for the JDK's terse ones. */
    private static String message(Throwable t) {
        if (t instanceof NoSuchFileException) {
            return "no such file: " + t.getMessage();
        }
        return t.getMessage() == null ? t.toString() : t.getMessage();
    }
}
