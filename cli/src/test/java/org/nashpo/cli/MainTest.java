package org.nashpo.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MainTest {



    @Test
    void spaceJsonSummarisesTheSpace() throws Exception {
        CliRun r = CliRun.of("space", "--json");
        assertThat(r.code()).isZero();
        JsonNode j = r.json();
        assertThat(j.get("cellcodes").asInt()).isEqualTo(4096);
        assertThat(j.get("classes").asInt()).isEqualTo(1011);
        assertThat(j.get("configurations").asInt()).isEqualTo(196_608);
        assertThat(j.get("runs12Epochs").asInt()).isEqualTo(145_584);
        assertThat(j.get("runs200Epochs").asInt()).isEqualTo(14_400);
        assertThat(j.get("learningRates")).hasSize(8);
        assertThat(j.get("learningRates").get(0).asDouble()).isEqualTo(0.003125);
        assertThat(j.get("batchSizes").get(5).asInt()).isEqualTo(512);
    }

    @Test
    void spaceTextNamesTheCounts() {
        CliRun r = CliRun.of("space");
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("4,096").contains("1,011").contains("196,608");
    }

    @Test
    void archJsonDescribesTheCell() throws Exception {
        CliRun r = CliRun.of("arch", "0|10|210", "--json");
        assertThat(r.code()).isZero();
        JsonNode j = r.json();
        assertThat(j.get("parameters").asLong()).isEqualTo(802_730);
        assertThat(j.get("multiplyAdds").asLong()).isEqualTo(113_951_360);
        assertThat(j.get("classId").asText()).isEqualTo("babd0b3a48c508c7");
        assertThat(j.get("representative").asText()).isEqualTo("0|10|210");
        assertThat(j.get("network").get("width").asInt()).isEqualTo(16);
    }

    @Test
    void archOfAMemberNamesTheRepresentative() throws Exception {
        JsonNode j = CliRun.of("arch", "1|03|322", "--json").json();
        assertThat(j.get("members").toString()).contains("0|13|322").contains("1|03|322");
        assertThat(j.get("classSize").asInt()).isEqualTo(j.get("members").size());
    }

    @ParameterizedTest
    @ValueSource(strings = {"0|1|2", "4|00|000", "abc", ""})
    void aMalformedCellcodeIsBadInput(String code) {
        CliRun r = CliRun.of("arch", code);
        assertThat(r.code()).isEqualTo(Main.EXIT_BAD_INPUT);
        assertThat(r.err()).contains("cellcode \"" + code + "\"").contains("expected A|BC|DEF");
        assertThat(r.out()).isEmpty();
    }

    @Test
    void aBadWidthIsBadInput() {
        CliRun r = CliRun.of("arch", "0|00|000", "--width", "0");
        assertThat(r.code()).isEqualTo(Main.EXIT_BAD_INPUT);
        assertThat(r.err()).contains("network width: must be ≥ 1, was 0");
    }

    @Test
    void unknownOptionsAndMissingCommandsAreBadInput() {
        assertThat(CliRun.of("space", "--nope").code()).isEqualTo(Main.EXIT_BAD_INPUT);
        CliRun none = CliRun.of();
        assertThat(none.code()).isEqualTo(Main.EXIT_BAD_INPUT);
        assertThat(none.err()).contains("a command is required");
    }

    private static String example(String name) {
        return java.nio.file.Path.of(System.getProperty("nashpo.miniData")).getParent().getParent()
                .resolve("examples").resolve(name).toString();
    }

    @Test
    void planPricesTheFullBenchmarkAndItsExtension() throws Exception {
        CliRun r = CliRun.of("plan", "--spec", example("nas-hpo-bench-2-more-seeds.yaml"), "--gpus", "64",
                "--relative-to", example("nas-hpo-bench-2.yaml"), "--images-per-second", "2000", "--json");
        assertThat(r.code()).as(r.err()).isZero();
        var m = r.json().get("makespan");
        assertThat(m.get("runs").asInt()).isEqualTo(266_640);
        assertThat(m.get("longestFirst").asDouble()).isGreaterThanOrEqualTo(m.get("lowerBound").asDouble())
                .isLessThanOrEqualTo(m.get("unorderedGreedy").asDouble());
        assertThat(m.get("lowerBound").asDouble()).isEqualTo(m.get("totalSeconds").asDouble() / 64);
        var e = r.json().get("extension");
        assertThat(e.get("runs").asInt()).isEqualTo(106_656);
        // two seeds more on a three-seed benchmark: two thirds of its cost
        assertThat(r.json().get("extensionRelativeToBase").asDouble()).isCloseTo(2.0 / 3, within(1e-9));
        // halving the speed doubles the hours
        CliRun faster = CliRun.of("plan", "--spec", example("nas-hpo-bench-2.yaml"), "--gpus", "64",
                "--images-per-second", "4000", "--json");
        CliRun slower = CliRun.of("plan", "--spec", example("nas-hpo-bench-2.yaml"), "--gpus", "64",
                "--images-per-second", "2000", "--json");
        assertThat(slower.json().get("gpuHours").asDouble() / faster.json().get("gpuHours").asDouble())
                .isCloseTo(2, within(1e-9));
    }

    @Test
    void planRefusesNonsense() {
        CliRun r = CliRun.of("plan", "--spec", example("tiny.yaml"), "--gpus", "0");
        assertThat(r.code()).isEqualTo(Main.EXIT_BAD_INPUT);
        assertThat(r.err()).contains("--gpus").contains("was 0");
        CliRun other = CliRun.of("plan", "--spec", example("tiny.yaml"), "--gpus", "2", "--relative-to",
                example("nas-hpo-bench-2.yaml"));
        assertThat(other.code()).isEqualTo(Main.EXIT_BAD_INPUT);
        assertThat(other.err()).contains("--relative-to").contains("differ");
    }
}
