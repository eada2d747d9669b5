package org.nashpo.core.spec;

import org.nashpo.core.space.SearchSpace;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.nashpo.core.space.CellCode;

class ProblemsTest {

    private static List<String> problems(String yaml) {
        SpecException e = catchThrowableOfType(SpecException.class, () -> Examples.parse(yaml));
        assertThat(e).as("a SpecException").isNotNull();
        assertThat(e.getMessage()).startsWith("invalid spec, " + e.problems().size() + " problem");
        return e.problems().stream().map(SpecProblem::toString).toList();
    }

    private static String cellcodeMessage(String text) {
        return catchThrowableOfType(IllegalArgumentException.class, () -> SearchSpace.NAS_HPO_BENCH_2.parse(text)).getMessage();
    }

    @Test
    void everyMistakeIsReportedAtOnceWithItsPath() throws Exception {
        assertThat(problems(Examples.resource("mistakes.yaml"))).containsExactly(
                "data.valdSize: unknown key; expected one of dataset, split, uri, trainSize, validSize, testSize",
                "data.trainSize: must be 1–25000, was 30000",
                "output: must be a string, was 42",
                "network.width: must be ≥ 1, was 0",
                "network.stages: must be 1–6, was 7 (cifar10's 32×32 images: each stage halves them)",
                "grid.lr: unknown key; expected one of lrs, batchSizes, seeds",
                "grid.lrs[2]: must be > 0, was -0.1",
                "grid.lrs[3]: 0.2 is already at grid.lrs[1]",
                "grid.batchSizes: must not be empty",
                "grid.seeds[1]: must be an integer, was \"x\"",
                "schedules[0].epochs: must be an integer, was \"twelve\"",
                "schedules[1].cells[1]: " + cellcodeMessage("0|1|210"),
                "schedules[1].cells[2]: \"0|10|210\" is already at schedules[1].cells[0]",
                "schedules[1].cells[3]: " + cellcodeMessage("4|00|000"),
                "schedules[2].cells.random: must be 1–1011 (the number of cell classes), was 5000",
                "schedules[3].epochs: missing; this key is required",
                "schedules[3].cells: unknown selection \"some\"; expected all, representatives, long-schedule, "
                        + "a list of cellcodes, {random: N, seed: S} or {operations: [OP, ...]}",
                "resources.threads: unknown key; expected one of threadsPerTask, gpusPerTask",
                "resources.gpusPerTask: must be 0 (CPU) or a share of one GPU in (0, 1], e.g. 1 or 0.5, was 2.0");
    }

    @Test
    void missingKeysAndAWrongDocumentAreProblems() {
        assertThat(problems("{}")).containsExactly(
                "name: missing; this key is required",
                "data: missing; this key is required",
                "output: missing; this key is required",
                "schedules: missing; this key is required");
        String keys = "name, space, data, output, network, grid, schedules, resources";
        assertThat(problems("")).containsExactly("a spec must be a mapping with keys " + keys + ", was empty");
        assertThat(problems("- name: x")).containsExactly("a spec must be a mapping with keys " + keys + ", was a list");
        assertThat(problems("""
                name: x
                data: {trainSize: 10, testSize: 0}
                output: out
                schedules: [{epochs: 1, cells: {random: 3}}]
                """)).containsExactly(
                "data.uri: missing; this key is required",
                "data.testSize: must be 1–10000, was 0",
                "schedules[0].cells.seed: missing; this key is required");
    }

    @Test
    void wrongTypesNameTheValueFound() {
        assertThat(problems("""
                name: "two\\nlines"
                data: ./d
                output: ""
                network: {width: 8.5, cellsPerStage: 99999999999}
                grid: {lrs: [.inf, "0.1", .nan], batchSizes: [16.0, 1e3], seeds: 222}
                schedules:
                  - {epochs: 0, cells: 12}
                  - {epochs: 3, cells: [210, '0|10|210'], extra: true}
                  - {epochs: 3, cells: {random: 0, seed: x}}
                  - {epochs: 3, cells: []}
                resources: ~
                """)).containsExactly(
                "name: must be one line without control characters, was \"two\\nlines\"",
                "data: must be a mapping with keys dataset, split, uri, trainSize, validSize, testSize, was \"./d\"",
                "output: must be a URI or a path, was \"\"",
                "network.width: must be an integer, was 8.5",
                "network.cellsPerStage: must be -2147483648–2147483647, was 99999999999",
                "grid.lrs[0]: must be a finite number, was Infinity",
                "grid.lrs[1]: must be a number, was \"0.1\"",
                "grid.lrs[2]: must be a finite number, was NaN",
                "grid.batchSizes[0]: must be an integer, was 16.0",
                "grid.batchSizes[1]: must be an integer, was 1000.0",
                "grid.seeds: must be a list, was 222",
                "schedules[0].epochs: must be ≥ 1, was 0",
                "schedules[0].cells: must be all, representatives, long-schedule, a list of cellcodes, "
                        + "{random: N, seed: S} or {operations: [OP, ...]}, was 12",
                "schedules[1].extra: unknown key; expected one of epochs, cells",
                "schedules[1].cells[0]: must be a cellcode such as '0|10|210', was 210",
                "schedules[2].cells.random: must be 1–1011 (the number of cell classes), was 0",
                "schedules[2].cells.seed: must be an integer, was \"x\"",
                "schedules[3].cells: must not be empty",
                "resources: must be a mapping with keys threadsPerTask, gpusPerTask, was empty");
    }

    @Test
    void repeatedSchedulesAndUnquotedCellcodesAreCaught() {
        assertThat(problems("""
                name: x
                data: {uri: d}
                output: o
                schedules:
                  - {epochs: 12, cells: [0|10|210, 3|33|333]}
                  - {cells: ['3|33|333', '0|10|210'], epochs: 12}
                """)).containsExactly(
                "schedules[1]: {epochs: 12, cells: ['0|10|210', '3|33|333']} is already at schedules[0]");
    }

    @Test
    void yamlSyntaxErrorsGiveTheirLineAndColumn() {
        assertThat(problems("""
                name: x
                data: {uri: d
                output: o
                """)).singleElement().asString()
                .startsWith("line 3, column 7: not valid YAML: ")
                .contains("(while parsing a flow mapping at line 2, column 7)");
        assertThat(problems("""
                name: x
                name: y
                """)).containsExactly(
                "line 2, column 1: not valid YAML: found duplicate key name "
                        + "(while constructing a mapping at line 1, column 1)");
    }

    @Test
    void yamlTagsNeverConstructJavaObjects() {
        String allowed = " is not allowed; a spec holds only mappings, lists, strings, numbers and booleans";
        assertThat(problems("""
                name: x
                data: !!java.lang.Runtime {}
                """)).containsExactly("line 2, column 7: the YAML tag !!java.lang.Runtime" + allowed);
        assertThat(problems("""
                name: !!javax.script.ScriptEngineManager [!!java.net.URLClassLoader [[!!java.net.URL ["http://localhost/"]]]]
                """)).containsExactly("line 1, column 7: the YAML tag !!javax.script.ScriptEngineManager" + allowed);
        assertThat(problems("output: !local x")).containsExactly("line 1, column 9: the YAML tag !local" + allowed);
    }
}
