package org.nashpo.spark.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The Python that users read the exports with: python3 on the PATH with the modules a check needs. A machine
 * without them fails the check, naming what to install; it is never skipped, so a check that passes has run.
 */
public final class PythonClients {

    /** pyarrow, DuckDB and pandas: the clients of the Parquet and CSV exports. */
    public static final List<String> TABLE_CLIENTS = List.of("pyarrow", "duckdb", "pandas");

    private PythonClients() {
    }

    /** Fails, saying what to install, unless python3 imports every module named. */
    public static void require(List<String> modules) throws IOException, InterruptedException {
        String imports = "import " + String.join(", ", modules);
        Process p;
        try {
            p = new ProcessBuilder("python3", "-c", imports).redirectErrorStream(true).start();
        } catch (IOException e) {
            fail("python3 is needed to read the exports as users do, and it could not be started: "
                    + e.getMessage());
            return;
        }
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        if (p.exitValue() != 0) {
            fail("python3 cannot `" + imports + "`; the exports are checked with the clients users read them with: "
                    + "install them with `python3 -m pip install " + String.join(" ", modules) + "` (CI's .ci/run "
                    + "does). python3 said: " + output.strip());
        }
    }

    /** Runs python3 with a script and its arguments; fails with what it printed unless it exits 0. */
    public static String run(Path scratch, String script, String... args) throws IOException, InterruptedException {
        Path file = Files.writeString(Files.createTempFile(scratch, "check", ".py"), script);
        List<String> command = new ArrayList<>(List.of("python3", file.toString()));
        command.addAll(List.of(args));
        Process p;
        try {
            p = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            fail("python3 is needed to read the exports as users do, and it could not be started: "
                    + e.getMessage());
            return null;
        }
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("python3 output: %s", output).isZero();
        return output;
    }
}
