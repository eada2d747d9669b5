package org.nashpo.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** nashpo optimize runs the experiment on a synthetic benchmark, writes its report and prints the summary. */
class OptimizeCommandIT {

    @Test
    void anExperimentIsRunAndReported(@TempDir Path dir) throws Exception {
        Path bench = dir.resolve("synth");
        assertThat(CliRun.of("synth-bench", "--out", bench.toString(), "--seed", "3").code()).isZero();
        Path out = dir.resolve("report");

        CliRun run = CliRun.of("optimize", "--bench", bench.toString(), "--algorithms", "rs,rea,bohb,rea/nas",
                "--runs", "9", "--budget", "20000", "--out", out.toString(), "--seed", "5", "--threads", "2", "--json");

        assertThat(run.code()).as(run.err()).isZero();
        assertThat(run.err()).contains("optimize: 36 / 36 runs (100%)");
        JsonNode json = run.json();
        assertThat(json.get("runs").asInt()).isEqualTo(9);
        assertThat(json.get("algorithms")).hasSize(4);
        assertThat(json.get("algorithms").get(3).get("algorithm").asText()).isEqualTo("rea/nas");
        assertThat(json.get("best").asText()).isIn("rs", "rea", "bohb", "rea/nas");
        assertThat(json.get("reference").get("bestTest12")).hasSize(3);
        assertThat(out.resolve("report.html")).exists();
        assertThat(Files.readAllLines(out.resolve("summary.csv"))).hasSize(5);

        CliRun text = CliRun.of("optimize", "--bench", bench.toString(), "--algorithms", "rs", "--runs", "2",
                "--out", dir.resolve("text").toString(), "--fixed", "0|10|210,0.1,64");
        assertThat(text.code()).as(text.err()).isZero();
        assertThat(text.out()).contains("rs ").contains("report.html");
    }

    @Test
    void badInputIsExitCodeTwoAndWritesNothing(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("report");
        CliRun unknown = CliRun.of("optimize", "--bench", dir.toString(), "--algorithms", "rs,sgd", "--out",
                out.toString());
        assertThat(unknown.code()).isEqualTo(Main.EXIT_BAD_INPUT);
        assertThat(unknown.err()).contains("\"sgd\"").contains("rs, ls, rea");

        CliRun runs = CliRun.of("optimize", "--bench", dir.toString(), "--runs", "0", "--out", out.toString());
        assertThat(runs.code()).isEqualTo(Main.EXIT_BAD_INPUT);
        assertThat(runs.err()).contains("runs: must be ≥ 1, was 0");

        CliRun missing = CliRun.of("optimize", "--bench", dir.resolve("none").toString(), "--out", out.toString());
        assertThat(missing.code()).isEqualTo(Main.EXIT_BAD_INPUT);
        assertThat(out).doesNotExist();

        CliRun help = CliRun.of("optimize", "--help");
        assertThat(help.out()).contains("rs, ls, rea, reinforce,").contains("bohb-rea, asng");
    }
}
