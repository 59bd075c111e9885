package ai.spikegpt.cli;

import java.io.IOException;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * The output folder of a Spark job, all or nothing: Spark writes into a hidden sibling ({@code
 * .NAME.writing-UUID}; Spark's committer finishes it with {@code _SUCCESS}), and only a finished
 * folder is renamed to the output's name. A job that fails or is killed leaves no folder under that
 * name (a killed one leaves the hidden sibling, which a later run's {@link #close} does not see,
 * but which nothing reads). With {@code --force} an old output is moved aside, the new one renamed
 * in, and the old one deleted. Paths go through Hadoop's {@code FileSystem}, so a cluster's HDFS or
 * object store output works as a local folder does.
 */
final class SparkOutputFolder implements AutoCloseable {

    private final FileSystem fs;
    private final Path output;
    private final Path writing;
    private boolean committed;

    private SparkOutputFolder(FileSystem fs, Path output, Path writing) {
        this.fs = fs;
        this.output = output;
        this.writing = writing;
    }

    /**
     * Prepares to write an output folder.
     *
     * @param conf the job's Hadoop configuration
     * @param output the output folder
     * @param force whether an existing output may be replaced
     * @return the folder; close it, committed or not
     * @throws IllegalArgumentException if the output exists and {@code force} is false
     * @throws IOException if the file system cannot be reached
     */
    static SparkOutputFolder begin(Configuration conf, String output, boolean force)
            throws IOException {
        Path out = new Path(output);
        FileSystem fs = out.getFileSystem(conf);
        out = fs.makeQualified(out);
        if (!force && holdsSomething(fs, out)) {
            throw new IllegalArgumentException(
                    output + " exists: choose another --output, or --force to overwrite");
        }
        Path writing =
                new Path(out.getParent(), "." + out.getName() + ".writing-" + UUID.randomUUID());
        return new SparkOutputFolder(fs, out, writing);
    }

    /** A file, or a folder with anything in it (as {@link ForceOption} decides). */
    private static boolean holdsSomething(FileSystem fs, Path path) throws IOException {
        if (!fs.exists(path)) {
            return false;
        }
        FileStatus status = fs.getFileStatus(path);
        return !status.isDirectory() || fs.listStatus(path).length > 0;
    }

    /**
     * @return where Spark writes
     */
    String writing() {
        return writing.toString();
    }

    /**
     * @return the output folder, qualified (e.g. {@code file:/...})
     */
    Path output() {
        return output;
    }

    /**
     * Publishes the written folder under the output's name, replacing an old output.
     *
     * @throws IOException if a rename fails
     */
    void commit() throws IOException {
        Path old = null;
        if (fs.exists(output)) {
            old =
                    new Path(
                            output.getParent(),
                            "." + output.getName() + ".old-" + UUID.randomUUID());
            rename(output, old);
        }
        rename(writing, output);
        committed = true;
        if (old != null) {
            fs.delete(old, true);
        }
    }

    private void rename(Path from, Path to) throws IOException {
        if (!fs.rename(from, to)) {
            throw new IOException("cannot rename " + from + " to " + to);
        }
    }

    /** Deletes what a failed job wrote. */
    @Override
    public void close() throws IOException {
        if (!committed) {
            fs.delete(writing, true);
        }
    }
}
