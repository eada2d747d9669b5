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
 * perf-scale's steps: each a nashpo process like this one, measured; a failing step ends the
 * measurement with its output. (The full measurement runs on a filled output: README, perf-scale.)
 */
class PerfScaleTest {

    @Test
    void aStepRunsAsItsOwnProcessAndIsMeasured() throws Exception {
        List<PerfScaleCommand.Step> steps = new ArrayList<>();
        StringWriter log = new StringWriter();
        long start = System.nanoTime();
        JsonNode json = PerfScaleCommand.run("space", List.of("space"), steps, new PrintWriter(log), "classes");
        double wall = (System.nanoTime() - start) / 1e9;

        assertThat(json.get("classes").asInt()).isEqualTo(1011);
        assertThat(steps).singleElement().satisfies(s -> {
            assertThat(s.jobSeconds()).isEqualTo(1011); // the field named, read from the step's --json
            // the step's process runs inside the call: its wall time is a span of the call's
            assertThat(s.wallSeconds()).isGreaterThan(0).isLessThanOrEqualTo(wall);
            // a JVM's resident memory is at least its heap's first pages: more than 10 MB wherever /proc exists
            if (java.nio.file.Files.isDirectory(java.nio.file.Path.of("/proc/self"))) {
                assertThat(s.peakRssBytes()).isGreaterThan(10_000_000L);
            }
        });
        assertThat(log.toString()).contains("perf-scale: space took");
    }

    @Test
    void aFailingStepEndsTheMeasurementWithItsMessage() {
        assertThatThrownBy(() -> PerfScaleCommand.run("arch", List.of("arch", "9|99|999"), new ArrayList<>(),
                new PrintWriter(new StringWriter()), "classId"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("step arch").hasMessageContaining("exited with 2")
                .hasMessageContaining("9|99|999");
    }

    @Test
    void aBenchmarkPerfQueryCannotOpenIsRefusedBeforeAnyStep() {
        CliRun r = CliRun.of("perf-scale", "--spec", "examples/nas-hpo-bench-2.yaml", "--out", "/tmp/x",
                "--bench", "hdfs://namenode/bench");
        assertThat(r.code()).isEqualTo(Main.EXIT_BAD_INPUT);
        assertThat(r.err()).contains("--bench hdfs://namenode/bench").contains("local").doesNotContain("construct …");
    }
}
