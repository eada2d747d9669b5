package org.nashpo.cli;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.nashpo.spark.construct.ConstructPlan;
import picocli.CommandLine;

/** Command-line locations: a URI with a scheme (file:, hdfs:, s3a:) as given, anything else a local path. */
final class Uris {

    private Uris() {
    }

    static URI of(String text, String what) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException(what + ": is empty; expected a local path or a URI such as hdfs://namenode/path");
        }
        try {
            URI uri = new URI(text);
            if (uri.getScheme() != null && uri.getScheme().length() > 1) {
                return uri;
            }
        } catch (URISyntaxException e) {
            // not a URI: a local path, possibly with characters URIs do not allow
        }
        return Path.of(text).toAbsolutePath().normalize().toUri();
    }

    /**
     * A location a command reads or writes with Java's own file API: a plain path, or a {@code file:}
     * URI meaning the same path. Any other scheme is refused by name (never taken for a relative
     * directory named {@code hdfs:}). picocli converts every {@link Path} option with it.
     */
    static Path localPath(String text) {
        if (text == null || text.isBlank()) {
            throw new CommandLine.TypeConversionException("is empty; expected a local path or a file: URI");
        }
        try {
            URI uri = new URI(text);
            if (uri.getScheme() != null && uri.getScheme().length() > 1) {
                if (!uri.getScheme().equalsIgnoreCase("file")) {
                    throw new CommandLine.TypeConversionException("'" + text + "' is a " + uri.getScheme() + ": URI; "
                            + "this command reads and writes local files only: give a local path or a file: URI");
                }
                if (!uri.isAbsolute() || uri.isOpaque()) {
                    throw new CommandLine.TypeConversionException("'" + text + "' is not an absolute file: URI "
                            + "(file:///path); give a file:/// URI or a plain path");
                }
                return Path.of(uri);
            }
        } catch (URISyntaxException e) {
            // not a URI: a local path, possibly with characters URIs do not allow
        }
        return Path.of(text);
    }

    /** What a benchmark directory is, for messages. */
    static final String BENCHMARK = "a benchmark directory (the output of nashpo aggregate or synth-bench, holding "
            + "manifest.json)";

    /**
     * Refuses, before any Spark starts, an input directory that does not exist or lacks the entry
     * that marks what it is ({@code manifest.json} of a benchmark, {@code runs/} of a construct output).
     *
     * @param option the option that named it, for the message
     * @param marker the entry it must hold
     * @param expected what it should be, e.g. {@link #BENCHMARK}
     * @param hadoop the {@code spark.hadoop.*} settings (credentials, endpoints) to reach it with
     */
    static void requireInput(URI uri, String option, String marker, String expected, Map<String, String> hadoop) {
        Configuration conf = ConstructPlan.hadoopConfiguration(hadoop);
        org.apache.hadoop.fs.Path dir = new org.apache.hadoop.fs.Path(uri);
        try {
            FileSystem fs = dir.getFileSystem(conf);
            FileStatus status;
            try {
                status = fs.getFileStatus(dir);
            } catch (java.io.FileNotFoundException e) {
                throw new IllegalArgumentException(option + " " + uri + ": does not exist; expected " + expected);
            }
            if (!status.isDirectory()) {
                throw new IllegalArgumentException(option + " " + uri + ": is a file, not a directory; expected "
                        + expected);
            }
            if (!fs.exists(new org.apache.hadoop.fs.Path(dir, marker))) {
                throw new IllegalArgumentException(option + " " + uri + ": has no " + marker
                        + (marker.endsWith("/") ? " directory" : "") + "; expected " + expected
                        + (marker.equals("manifest.json") ? " (a benchmark's manifest is written last: without it, "
                                + "its writer did not finish)" : ""));
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(option + " " + uri + ": cannot be read: " + e.getMessage(), e);
        }
    }
}
