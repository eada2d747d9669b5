package org.nashpo.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nashpo.worker.io.RunStore;

/**
 * The driver killed in the middle of a construct (SIGKILL, no shutdown hooks) and the same
 * command started again: the second run trains exactly what the first did not publish.
 */
class DriverRestartIT {

    private static final Pattern DONE = Pattern.compile("construct: (\\d+)/(\\d+) runs done");

    @Test
    void aKilledDriverRestartedLosesAndDuplicatesNoRun(@TempDir Path dir) throws Exception {
        Path spec = ConstructCommandIT.tinySpec(dir);
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(a -> a.startsWith("--add-opens") || a.startsWith("--add-exports")).toList());
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "construct", "--spec", spec.toString(), "--master", "local[2]"));
        Process driver = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        int doneWhenKilled = -1;
        List<String> seen = new ArrayList<>();
        try (BufferedReader err = new BufferedReader(new InputStreamReader(driver.getErrorStream(), StandardCharsets.UTF_8))) {
            for (String line = err.readLine(); line != null; line = err.readLine()) {
                seen.add(line);
                Matcher m = DONE.matcher(line);
                if (m.find() && Integer.parseInt(m.group(1)) >= 3) {
                    doneWhenKilled = Integer.parseInt(m.group(1));
                    driver.destroyForcibly();
                    break;
                }
            }
        }
        assertThat(driver.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(doneWhenKilled).as("the driver reported 3 runs done before it was killed; it printed:%n%s",
                String.join("\n", seen)).isBetween(3, 15);
        assertThat(driver.exitValue()).as("killed, not finished").isEqualTo(137);

        Path runs = dir.resolve("runs");
        int publishedBefore = new RunStore(URI.create(runs.toUri().toString()), new org.apache.hadoop.conf.Configuration())
                .scan(2).runs().size();
        assertThat(publishedBefore).isBetween(doneWhenKilled, 15);

        CliRun status = CliRun.of("status", "--spec", spec.toString(), "--json");
        assertThat(status.json().get("missing").asInt()).isEqualTo(16 - publishedBefore);
        assertThat(status.json().get("remainingSeconds").asDouble()).as("calibrated on the runs done").isPositive();

        CliRun again = CliRun.of("construct", "--spec", spec.toString(), "--master", "local[2]", "--json");
        assertThat(again.code()).as(again.err()).isZero();
        assertThat(again.json().get("skippedAlreadyPresent").asInt()).isEqualTo(publishedBefore);
        assertThat(again.json().get("trained").asInt()).isEqualTo(16 - publishedBefore);
        assertThat(again.json().get("failed").asInt()).isZero();

        // runs lost = 0 and duplicated = 0: the 16 keys, one file each
        RunStore.Scan scan = new RunStore(URI.create(runs.toUri().toString()), new org.apache.hadoop.conf.Configuration())
                .scan(2);
        assertThat(scan.runs()).hasSize(16);
        assertThat(scan.unreadable()).isEmpty();
        try (Stream<Path> files = Files.list(runs.resolve("runs"))) {
            assertThat(files.filter(f -> f.getFileName().toString().endsWith(".avro"))).hasSize(16);
        }
    }
}
