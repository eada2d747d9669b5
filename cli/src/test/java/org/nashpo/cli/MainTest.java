package org.nashpo.cli;

import static org.assertj.core.api.Assertions.assertThat;

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
}
