package org.nashpo.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The mistakes a newcomer makes first, each answered with exit 2 and a message naming the thing, what
 * is wrong and what to do — checked before any Spark starts or anything is written.
 */
class BadInputIT {

    @Test
    void aMissingInputDirectoryIsSaidToNotExist(@TempDir Path dir) {
        String missing = dir.resolve("nothing").toString();
        CliRun aggregate = CliRun.of("aggregate", "--runs", missing, "--out", dir.resolve("bench").toString());
        assertThat(aggregate.code()).isEqualTo(Main.EXIT_BAD_INPUT);
        assertThat(aggregate.err()).contains("--runs file://" + missing + ": does not exist; expected the output of "
                + "nashpo construct");
        CliRun export = CliRun.of("export", "--bench", missing, "--format", "csv", "--out", dir.resolve("csv").toString());
        assertThat(export.code()).isEqualTo(Main.EXIT_BAD_INPUT);
        assertThat(export.err()).contains("--bench file://" + missing + ": does not exist; expected a benchmark directory");
        CliRun fit = CliRun.of("fit-surrogate", "--bench", missing);
        assertThat(fit.code()).isEqualTo(Main.EXIT_BAD_INPUT);
        assertThat(fit.err()).contains("--bench file://" + missing + ": does not exist");
        assertThat(dir.resolve("bench")).doesNotExist();
        assertThat(dir.resolve("csv")).doesNotExist();
    }

    @Test
    void aDirectoryOfTheWrongKindSaysWhatItLacks(@TempDir Path dir) throws Exception {
        Files.createDirectories(dir.resolve("empty"));
        CliRun aggregate = CliRun.of("aggregate", "--runs", dir.resolve("empty").toString(), "--out",
                dir.resolve("bench").toString());
        assertThat(aggregate.code()).isEqualTo(Main.EXIT_BAD_INPUT);
        assertThat(aggregate.err()).contains("has no runs/ directory");
        CliRun fit = CliRun.of("fit-surrogate", "--bench", dir.resolve("empty").toString());
        assertThat(fit.code()).isEqualTo(Main.EXIT_BAD_INPUT);
        assertThat(fit.err()).contains("has no manifest.json").contains("its writer did not finish");
        assertThat(dir.resolve("bench")).doesNotExist();
    }

    @Test
    void aSpecThatIsMissingOrWasCopiedAwayFromItsDataIsExplained(@TempDir Path dir) throws Exception {
        CliRun missing = CliRun.of("status", "--spec", dir.resolve("nope.yaml").toString());
        assertThat(missing.code()).isEqualTo(Main.EXIT_BAD_INPUT);
        assertThat(missing.err()).contains("--spec " + dir.resolve("nope.yaml") + ": no such file");

        // the demo spec copied elsewhere: its relative data path now points beside the copy
        Path copy = Files.createDirectories(dir.resolve("copied")).resolve("demo.yaml");
        Files.writeString(copy, String.join("\n", "name: copied", "data: {uri: ../data/cifar-10-mini}",
                "output: ../target/demo/runs", "grid: {lrs: [0.1], batchSizes: [64], seeds: [222]}",
                "schedules:", "  - epochs: 1", "    cells: ['0|10|210']", ""));
        CliRun construct = CliRun.of("construct", "--spec", copy.toString());
        assertThat(construct.code()).isEqualTo(Main.EXIT_BAD_INPUT);
        assertThat(construct.err()).contains("--spec " + copy + ", data.uri: CIFAR-10 directory")
                .contains(dir.resolve("data/cifar-10-mini").toString()).contains("does not exist")
                .contains("resolves against the spec's own directory (" + copy.getParent() + ")");
        assertThat(dir.resolve("target")).doesNotExist();
    }

    @Test
    void aValueOfTheWrongTypeIsOneLineAndAPointerToHelp(@TempDir Path dir) {
        CliRun r = CliRun.of("optimize", "--bench", dir.toString(), "--runs", "ten", "--out", dir.resolve("o").toString());
        assertThat(r.code()).isEqualTo(Main.EXIT_BAD_INPUT);
        assertThat(r.err()).isEqualTo(String.format("nashpo optimize: Invalid value for option '--runs': 'ten' is not "
                + "an int%nSee 'nashpo optimize --help' for its options.%n"));
        CliRun misspelt = CliRun.of("optimize", "--bench", dir.toString(), "--runz", "3", "--out", dir.toString());
        assertThat(misspelt.err()).contains("Unknown options: '--runz', '3'").contains("--runs").hasLineCount(3);
    }
}
