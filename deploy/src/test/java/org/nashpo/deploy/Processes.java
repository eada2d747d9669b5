package org.nashpo.deploy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What the distribution's cluster tests share: processes started as a user would, and a Spark home. */
final class Processes {

    private Processes() {
    }

    /** This JVM's java, which the processes the tests start run on. */
    static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** This JVM's --add-opens and --add-exports (Spark on Java 17 needs them), for the JVMs it starts. */
    static List<String> opens() {
        return ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(a -> a.startsWith("--add-opens") || a.startsWith("--add-exports")).toList();
    }

    /**
     * A Spark home made of the distribution's Spark jars ({@code jars} links to lib/spark), with a
     * bin/spark-submit that does what Spark's does: SparkSubmit on those jars, with HADOOP_CONF_DIR
     * (or YARN_CONF_DIR) on the class path when set, as Spark's launcher puts it.
     */
    static Path sparkHome(Path base, Path dist) throws IOException {
        Path home = base.resolve("spark-home");
        Files.createDirectories(home.resolve("bin"));
        Files.createSymbolicLink(home.resolve("jars"), dist.resolve("lib/spark"));
        Path submit = home.resolve("bin/spark-submit");
        Files.writeString(submit, "#!/usr/bin/env bash\n"
                + "conf=\"${HADOOP_CONF_DIR:-${YARN_CONF_DIR:-}}\"\n"
                + "exec \"" + java() + "\" " + String.join(" ", opens())
                + " -cp \"${conf:+$conf:}$SPARK_HOME/jars/*\" org.apache.spark.deploy.SparkSubmit \"$@\"\n");
        executable(submit);
        return home;
    }

    static void executable(Path file) throws IOException {
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    /** The last 60 lines of a log, for an assertion's message. */
    static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Reads a stream line by line until a line matches (blocking on the process's own output, no
     * polling); the rest keeps draining in the background so the process never blocks on a full pipe.
     */
    static Matcher awaitLine(InputStream stream, Pattern pattern) throws IOException {
        BufferedReader in = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8));
        List<String> seen = new ArrayList<>();
        for (String line = in.readLine(); line != null; line = in.readLine()) {
            seen.add(line);
            Matcher m = pattern.matcher(line);
            if (m.find()) {
                Thread drain = new Thread(() -> {
                    try {
                        while (in.readLine() != null) {
                            // keep the pipe from filling up
                        }
                    } catch (IOException e) {
                        // the process ended
                    }
                });
                drain.setDaemon(true);
                drain.start();
                return m;
            }
        }
        throw new IllegalStateException("the process ended before \"" + pattern + "\"; it printed:\n"
                + String.join("\n", seen));
    }
}
