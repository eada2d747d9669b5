package org.nashpo.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * bench-scale's steps: each a nashpo process like this one, measured; a failing step ends the
 * measurement with its output. (The full measurement runs on a filled output: README, bench-scale.)
 */
class BenchScaleTest {

    @Test
    void aStepRunsAsItsOwnProcessAndIsMeasured() throws Exception {
        List<BenchScaleCommand.Step> steps = new ArrayList<>();
        StringWriter log = new StringWriter();
        JsonNode json = BenchScaleCommand.run("space", List.of("space"), steps, new PrintWriter(log), "classes");

        assertThat(json.get("classes").asInt()).isEqualTo(1011);
        assertThat(steps).singleElement().satisfies(s -> {
            assertThat(s.jobSeconds()).isEqualTo(1011); // the field named, read from the step's --json
            assertThat(s.wallSeconds()).isGreaterThan(0);
            // a JVM's resident memory is at least its heap's first pages: more than 10 MB wherever /proc exists
            if (java.nio.file.Files.isDirectory(java.nio.file.Path.of("/proc/self"))) {
                assertThat(s.peakRssBytes()).isGreaterThan(10_000_000L);
            }
        });
        assertThat(log.toString()).contains("bench-scale: space took");
    }

    @Test
    void aFailingStepEndsTheMeasurementWithItsMessage() {
        assertThatThrownBy(() -> BenchScaleCommand.run("arch", List.of("arch", "9|99|999"), new ArrayList<>(),
                new PrintWriter(new StringWriter()), "classId"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("step arch").hasMessageContaining("exited with 2")
                .hasMessageContaining("9|99|999");
    }

    @Test
    void aBenchmarkBenchQueryCannotOpenIsRefusedBeforeAnyStep() {
        CliRun r = CliRun.of("bench-scale", "--spec", "examples/nas-hpo-bench-2.yaml", "--out", "/tmp/x",
                "--bench", "hdfs://namenode/bench");
        assertThat(r.code()).isEqualTo(Main.EXIT_BAD_INPUT);
        assertThat(r.err()).contains("--bench hdfs://namenode/bench").contains("local").doesNotContain("construct …");
    }
}
