package org.nashpo.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * nashpo demo end to end on a smaller spec than examples/demo.yaml (the same pipeline: construct,
 * aggregate, fit-surrogate, every export, every optimizer, the report), then again: the second run
 * finds everything up to date.
 */
class DemoIT {

    @Test
    void theWholePipelineRunsAndASecondRunReusesIt(@TempDir Path dir) throws Exception {
        Path mini = Path.of(System.getProperty("nashpo.miniData"));
        Path spec = Files.writeString(dir.resolve("small-demo.yaml"), String.join("\n",
                "name: small-demo",
                "data: {uri: " + mini + ", trainSize: 128, validSize: 64, testSize: 64}",
                "output: " + dir.resolve("demo/runs"),
                "network: {width: 4, cellsPerStage: 1, stages: 3}",
                "grid: {lrs: [0.025, 0.1], batchSizes: [32], seeds: [222]}",
                "schedules:",
                "  - epochs: 1",
                "    cells: {operations: [skip, zero]}",
                "  - epochs: 2",
                "    cells: ['2|22|222', '2|22|223', '3|33|333']",
                "resources: {threadsPerTask: 1}",
                ""));
        CliRun first = CliRun.of("demo", "--spec", spec.toString(), "--runs", "3");
        assertThat(first.code()).as(first.err()).isZero();
        Path out = dir.resolve("demo");
        assertThat(first.out()).contains("the report is " + out.resolve("report/report.html").toUri());
        assertThat(first.err()).contains("demo [1/8] construct").contains("demo [8/8] optimize")
                .contains("construct: 16/16 runs done").contains("fit-surrogate: cross-validating");
        assertThat(out.resolve("bench/manifest.json")).isRegularFile();
        assertThat(out.resolve("bench/predictions-2")).isDirectory();
        assertThat(out.resolve("bench/surrogate/metrics.json")).isRegularFile();
        for (String format : DemoCommand.FORMATS) {
            assertThat(out.resolve("export").resolve(format)).isDirectory();
        }
        assertThat(out.resolve("export/nashpobench2/bench12.pkl")).isRegularFile();
        assertThat(out.resolve("export/parquet/runs.parquet")).exists();
        assertThat(out.resolve("report/report.html")).isRegularFile();
        assertThat(Files.readString(out.resolve("report/report.html"))).contains("regret.svg").contains("bohb");
        assertThat(out.resolve("report/regret.png")).isRegularFile();

        CliRun again = CliRun.of("demo", "--spec", spec.toString(), "--runs", "3");
        assertThat(again.code()).as(again.err()).isZero();
        assertThat(again.err()).contains("demo [2/8] aggregate: up to date").contains("demo [8/8] optimize: up to date")
                .doesNotContain("runs done");
    }
}
