package org.nashpo.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * nashpo demo end to end on a smaller spec than examples/demo.yaml (the same pipeline: construct,
 * aggregate, fit-surrogate, every export, every optimizer, the report, the synthetic benchmark and its
 * report), README's Python examples (the pickles, pandas over the Parquet tables, DuckDB over the curves) on
 * what it exported, then the demo again: the second run finds everything up to date. The demo runs once, laid out as the real one ({@code target/demo} under the
 * directory README's commands run in).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DemoIT {

    @TempDir
    static Path dir;
    private static Path spec;
    private static Path out;
    private static CliRun first;

    @BeforeAll
    static void runTheDemo() throws IOException {
        Path mini = Path.of(System.getProperty("nashpo.miniData"));
        spec = Files.writeString(dir.resolve("small-demo.yaml"), String.join("\n",
                "name: small-demo",
                "data: {uri: " + mini + ", trainSize: 128, validSize: 64, testSize: 64}",
                "output: " + dir.resolve("target/demo/runs"),
                "network: {width: 4, cellsPerStage: 1, stages: 3}",
                "grid: {lrs: [0.1], batchSizes: [64], seeds: [222]}",
                "schedules:",
                "  - epochs: 1",
                "    cells: {operations: [conv, zero]}",
                "  - epochs: 2",
                "    cells: ['0|00|003', '0|30|030', '3|33|333']",
                "resources: {threadsPerTask: 1}",
                ""));
        out = dir.resolve("target/demo");
        first = CliRun.of("demo", "--spec", spec.toString(), "--runs", "3", "--synthetic-runs", "3");
    }

    @Test
    @Order(1)
    void theWholePipelineRuns() throws IOException {
        assertThat(first.code()).as(first.err()).isZero();
        assertThat(first.out()).contains("the report is " + out.resolve("report/report.html").toUri())
                .contains(out.resolve("report-synthetic/report.html").toUri().toString());
        assertThat(first.err()).contains("demo [1/10] construct").contains("demo [8/10] optimize")
                .contains("demo [9/10] synth-bench").contains("demo [10/10] optimize on the synthetic benchmark")
                .contains("construct: 17/17 runs done").contains("fit-surrogate: cross-validating");
        // every run published, and nothing left in staging
        assertThat(out.resolve("runs/runs")).isDirectoryContaining("glob:**.avro");
        assertThat(out.resolve("runs/_staging")).doesNotExist();
        assertThat(out.resolve("bench/manifest.json")).isRegularFile();
        assertThat(out.resolve("bench/predictions-2")).isDirectory();
        assertThat(out.resolve("bench/surrogate/metrics.json")).isRegularFile();
        for (String format : DemoCommand.FORMATS) {
            assertThat(out.resolve("export").resolve(format)).isDirectory();
        }
        assertThat(out.resolve("export/nashpobench2/bench12.pkl")).isRegularFile();
        assertThat(out.resolve("export/parquet/runs.parquet")).exists();
    }

    @Test
    @Order(2)
    void itsReportNamesTheSchedulesAndSaysFirstThatTheSpaceIsTooSmall() throws IOException {
        String report = Files.readString(out.resolve("report/report.html"));
        assertThat(report).contains("regret.svg").contains("bohb");
        assertThat(report.substring(report.indexOf("<body>"))).startsWith("<body>\n<p class=\"warning\">Too small for "
                + "this experiment: the space holds 64 configurations");
        assertThat(report).contains("on 1-epoch valid accuracy").contains("2-epoch regret")
                .doesNotContain("12-epoch").doesNotContain("200-epoch");
        assertThat(Files.readAllLines(out.resolve("report/summary.csv")).get(0))
                .contains(",mean_regret1,").contains(",mean_test2,");
        assertThat(out.resolve("report/regret.png")).isRegularFile();

        String synthetic = Files.readString(out.resolve("report-synthetic/report.html"));
        assertThat(synthetic).contains("<h1>Optimizer experiment on a synthetic benchmark</h1>")
                .contains("12-epoch valid accuracy").contains("200-epoch regret").doesNotContain("Too small");
    }

    @Test
    @Order(3)
    void readmesPickleExampleRunsOnTheDemosExport() throws Exception {
        assertThat(runReadmeExample("pickle")).matches("(?s)\\d+\\.\\d+\\s*");
    }

    @Test
    @Order(4)
    void readmesPandasExampleRunsOnTheDemosParquetExport() throws Exception {
        String printed = runReadmeExample("pandas", "pyarrow");
        List<String> lines = printed.lines().toList();
        // the five best short-schedule runs (a header and five rows), then the best one's curve: its one epoch
        assertThat(lines).as(printed).hasSize(1 + 5 + 1 + 1);
        assertThat(lines.get(0)).contains("cellcode").contains("learning_rate").contains("test_acc");
        assertThat(lines.get(6)).contains("epoch").contains("trained").contains("valid_acc").contains("train_time");
        assertThat(lines.get(7)).matches("\\s*\\d+\\s+0\\s+True\\s+\\d+\\.\\d+\\s+\\d+\\.\\d+\\s*");
    }

    @Test
    @Order(4)
    void readmesDuckdbQueryRunsOnTheDemosCurves() throws Exception {
        String printed = runReadmeExample("duckdb");
        // the 1-epoch schedule's mean curve: one epoch, over its 14 runs (17 trained, 3 of them on 2 epochs)
        assertThat(printed.strip()).matches("\\[\\(0, \\d+\\.\\d+, 14\\)\\]");
    }

    @Test
    @Order(5)
    void aSecondRunReusesEverything() {
        CliRun again = CliRun.of("demo", "--spec", spec.toString(), "--runs", "3", "--synthetic-runs", "3");
        assertThat(again.code()).as(again.err()).isZero();
        assertThat(again.err()).contains("demo [2/10] aggregate: up to date").contains("demo [8/10] optimize: up to date")
                .contains("demo [10/10] optimize on the synthetic benchmark: up to date").doesNotContain("runs done");
    }

    /**
     * Runs README's ```python block that starts with {@code import module} with a python3 that has that module
     * and the others named; a machine without one fails the test, saying what to install (CI's .ci/run installs
     * them): README's examples are checked, never skipped. Returns what the example printed.
     */
    private static String runReadmeExample(String module, String... alsoNeeded) throws Exception {
        String example = pythonExample("import " + module);
        List<String> modules = new ArrayList<>(List.of(module));
        modules.addAll(List.of(alsoNeeded));
        Optional<String> python = interpreter(modules);
        if (python.isEmpty()) {
            fail("README's Python example `import " + module + "` needs a python3 with " + String.join(", ", modules)
                    + ", and neither python3 on the PATH nor /usr/bin/python3 has them: install them with "
                    + "`python3 -m pip install " + String.join(" ", modules) + "` (CI's .ci/run does)");
        }
        return runPython(python.get(), example);
    }

    /** The one ```python block of README.md that starts with {@code firstLine}. */
    private static String pythonExample(String firstLine) throws IOException {
        String readme = Files.readString(Path.of(System.getProperty("nashpo.readme")));
        List<String> blocks = new ArrayList<>();
        Matcher m = Pattern.compile("```python\n(.*?)```", Pattern.DOTALL).matcher(readme);
        while (m.find()) {
            if (m.group(1).startsWith(firstLine)) {
                blocks.add(m.group(1));
            }
        }
        assertThat(blocks).as("README.md's ```python blocks starting with " + firstLine).hasSize(1);
        return blocks.get(0);
    }

    /** The first of python3 on the PATH and the system's /usr/bin/python3 that imports every module named. */
    private static Optional<String> interpreter(List<String> modules) throws InterruptedException {
        for (String python : List.of("python3", "/usr/bin/python3")) {
            try {
                Process p = new ProcessBuilder(python, "-c", "import " + String.join(", ", modules))
                        .redirectErrorStream(true).start();
                p.getInputStream().readAllBytes();
                if (p.waitFor() == 0) {
                    return Optional.of(python);
                }
            } catch (IOException notThere) {
                // try the next
            }
        }
        return Optional.empty();
    }

    /** Runs {@code code} as README's reader would, from the directory holding target/demo; returns what it printed. */
    private static String runPython(String python, String code) throws Exception {
        Process p = new ProcessBuilder(python, "-c", code).directory(dir.toFile()).redirectErrorStream(true).start();
        String printed = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(printed).isZero();
        return printed;
    }
}
