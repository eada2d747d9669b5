package org.nashpo.core.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.nashpo.core.run.RunKey;
import org.nashpo.core.run.TrainingProtocol;
import org.nashpo.core.space.CellClass;
import org.nashpo.core.space.CellCode;
import org.nashpo.core.network.NetworkShape;
import org.nashpo.core.space.SearchSpace;

class SpecTest {

    private static final TrainingProtocol FULL = Examples.protocol(NetworkShape.BENCHMARK, 25_000, 25_000, 10_000);

    private static BenchmarkSpec withSchedules(String schedules) {
        return Examples.parse("""
                name: x
                data: {uri: d}
                output: o
                grid: {lrs: [0.1], batchSizes: [256], seeds: [222]}
                schedules: %s
                """.formatted(schedules));
    }

    @Test
    void leftOutSectionsAndKeysTakeTheBenchmarksValues() {
        BenchmarkSpec spec = Examples.parse("""
                name: x
                data: {uri: d}
                output: o
                network: {width: 8}
                grid: {seeds: [555]}
                schedules: [{epochs: 12, cells: representatives}]
                """);
        assertThat(spec.network()).isEqualTo(new NetworkShape(8, 5, 3));
        assertThat(spec.grid()).isEqualTo(new GridSpec(GridSpec.BENCHMARK.lrs(), GridSpec.BENCHMARK.batchSizes(),
                List.of(555)));
        assertThat(spec.data().trainSize()).isEqualTo(OptionalInt.empty());
        assertThat(spec.resources()).isEqualTo(Optional.empty());
        assertThat(Examples.parse("""
                name: x
                data: {uri: d}
                output: o
                schedules: [{epochs: 12, cells: representatives}]
                resources: {gpusPerTask: 0.5}
                """).resources()).contains(new Resources(1, 0.5));
    }

    @Test
    void sizesTheSpecLeavesOutAreAllTheDataHolds() {
        BenchmarkSpec spec = Examples.parse("""
                name: x
                data: {uri: d, validSize: 100}
                output: o
                schedules: [{epochs: 1, cells: representatives}]
                """);
        TrainingProtocol protocol = spec.protocol(Examples.CHECKSUMS, 2_022, 1_978, 1_000);
        assertThat(List.of(protocol.trainSize(), protocol.validSize(), protocol.testSize()))
                .containsExactly(2_022, 100, 1_000);
        assertThat(protocol.network()).isEqualTo(NetworkShape.BENCHMARK);
        assertThatThrownBy(() -> spec.protocol(Examples.CHECKSUMS, 2_022, 50, 1_000))
                .hasMessage("data.validSize: 100 images requested, but the data holds 50");
    }

    @Test
    void expandingUnderAnotherProtocolIsRefused() {
        BenchmarkSpec spec = withSchedules("[{epochs: 1, cells: representatives}]");
        assertThatThrownBy(() -> spec.expand(Examples.protocol(new NetworkShape(4, 1, 3), 25_000, 25_000, 10_000)))
                .hasMessageStartingWith("protocol network NetworkShape[width=4, cellsPerStage=1, stages=3, family=nas-hpo-bench-2, dataset=cifar10] is not");
        BenchmarkSpec sized = Examples.parse("""
                name: x
                data: {uri: d, trainSize: 256}
                output: o
                schedules: [{epochs: 1, cells: representatives}]
                """);
        assertThatThrownBy(() -> sized.expand(FULL))
                .hasMessage("data.trainSize: the spec says 256 but the protocol uses 25000");
    }

    @Test
    void aClassSelectedTwiceForOneScheduleLengthIsOneRun() {
        List<RunKey> overlapping = withSchedules("""
                [{epochs: 12, cells: representatives}, {epochs: 12, cells: long-schedule},
                 {epochs: 12, cells: ['0|13|322', '1|03|322']}]""").expand(FULL);
        assertThat(overlapping).hasSize(1_011).doesNotHaveDuplicates();
        assertThat(withSchedules("[{epochs: 12, cells: all}]").expand(FULL)).isEqualTo(overlapping);

        List<RunKey> oneClass = withSchedules("[{epochs: 12, cells: ['0|13|322', '1|03|322']}]").expand(FULL);
        CellClass cls = SearchSpace.NAS_HPO_BENCH_2.classOf(SearchSpace.NAS_HPO_BENCH_2.parse("1|03|322"));
        assertThat(oneClass).singleElement().satisfies(k -> {
            assertThat(k.cellcode()).isEqualTo(cls.representative());
            assertThat(k.cellClassId()).isEqualTo(cls.id());
        });
        assertThat(withSchedules("[{epochs: 12, cells: ['0|10|210']}, {epochs: 200, cells: ['0|10|210']}]")
                .expand(FULL)).extracting(RunKey::epochs).containsExactly(12, 200);
    }

    @Test
    void theOrderOfListsChangesNeitherTheRunsNorTheirOrder() {
        BenchmarkSpec a = Examples.parse("""
                name: x
                data: {uri: d}
                output: o
                grid: {lrs: [0.1, 0.05], batchSizes: [64, 32], seeds: [555, 222]}
                schedules: [{epochs: 200, cells: ['3|33|333', '0|10|210']}, {epochs: 12, cells: long-schedule}]
                """);
        BenchmarkSpec b = Examples.parse("""
                name: x
                data: {uri: d}
                output: o
                grid: {lrs: [0.05, 0.1], batchSizes: [32, 64], seeds: [222, 555]}
                schedules: [{epochs: 12, cells: long-schedule}, {epochs: 200, cells: ['0|10|210', '3|33|333']}]
                """);
        List<RunKey> keys = a.expand(FULL);
        assertThat(keys).hasSize((100 + 2) * 8).isEqualTo(b.expand(FULL));
        assertThat(keys.get(0)).extracting(RunKey::epochs, RunKey::learningRate, RunKey::batchSize, RunKey::seed)
                .containsExactly(12, 0.05, 32, 222);
        assertThat(keys.get(keys.size() - 1)).extracting(RunKey::epochs, RunKey::learningRate, RunKey::batchSize,
                RunKey::seed).containsExactly(200, 0.1, 64, 555);
    }

    @Test
    void aRandomSampleIsSeededDistinctAndGrowsByKeepingItsCells() {
        List<CellClass> ten = new CellSelection.RandomSample(10, 7).classes(SearchSpace.NAS_HPO_BENCH_2);
        assertThat(ten).hasSize(10).doesNotHaveDuplicates().isEqualTo(new CellSelection.RandomSample(10, 7).classes(SearchSpace.NAS_HPO_BENCH_2));
        assertThat(ten).isSortedAccordingTo((x, y) -> x.representative().compareTo(y.representative()));
        assertThat(new CellSelection.RandomSample(10, 8).classes(SearchSpace.NAS_HPO_BENCH_2)).isNotEqualTo(ten);
        assertThat(new CellSelection.RandomSample(20, 7).classes(SearchSpace.NAS_HPO_BENCH_2)).containsAll(ten);
        assertThat(new CellSelection.RandomSample(1_011, 7).classes(SearchSpace.NAS_HPO_BENCH_2)).isEqualTo(SearchSpace.NAS_HPO_BENCH_2.classes());
        // java.util.Random's algorithm is part of the JDK's specification: these stay the same everywhere
        assertThat(new CellSelection.RandomSample(3, 42).classes(SearchSpace.NAS_HPO_BENCH_2)).extracting(c -> c.representative().toString())
                .containsExactly("0|02|320", "0|22|210", "0|31|231");

        List<RunKey> keys = withSchedules("[{epochs: 1, cells: {random: 25, seed: 3}}]").expand(FULL);
        assertThat(keys).hasSize(25).extracting(RunKey::cellClassId).doesNotHaveDuplicates();
    }

    @Test
    void anOperationsSelectionIsTheProductSubSpaceOfThoseOperations() {
        CellSelection.Operations convZero = new CellSelection.Operations(
                List.of(org.nashpo.core.space.Op.ZERO, org.nashpo.core.space.Op.CONV3X3));
        assertThat(convZero.render(SearchSpace.NAS_HPO_BENCH_2)).isEqualTo("{operations: [conv, zero]}");
        assertThat(convZero.render(SearchSpace.NAS_BENCH_201)).isEqualTo("{operations: [conv3x3, zero]}");
        assertThat(convZero.cells(SearchSpace.NAS_HPO_BENCH_2)).hasSize(64).contains(SearchSpace.NAS_HPO_BENCH_2.parse("0|30|033"))
                .allSatisfy(c -> assertThat(c.toString()).matches("[03|]+"));
        // every cellcode of the sub-space maps to one of its classes: the zero cell, the all-conv cell, ...
        assertThat(convZero.classes(SearchSpace.NAS_HPO_BENCH_2)).hasSize(14);
        assertThat(new CellSelection.Operations(List.of(org.nashpo.core.space.Op.values())).classes(SearchSpace.NAS_HPO_BENCH_2))
                .hasSize(1_011);
        List<RunKey> keys = withSchedules("[{epochs: 2, cells: {operations: [conv, zero]}}]").expand(FULL);
        assertThat(keys).extracting(RunKey::cellClassId).doesNotHaveDuplicates().hasSize(14);

        SpecException e = org.assertj.core.api.Assertions.catchThrowableOfType(SpecException.class,
                () -> withSchedules("[{epochs: 2, cells: {operations: [conv, pool, conv]}}]"));
        assertThat(e.problems()).extracting(SpecProblem::toString).containsExactly(
                "schedules[0].cells.operations[1]: must be one of [conv3x3, avgpool3x3, skip, zero, conv1x1], was \"pool\"",
                "schedules[0].cells.operations[2]: \"conv\" is already at schedules[0].cells.operations[0]");
    }

    @Test
    void theHashIgnoresKeyOrderLayoutAndCommentsButNotValues() {
        String spec = """
                name: hash
                data: {uri: ../data, trainSize: 256}
                output: o
                grid: {lrs: [0.1, 0.2], batchSizes: [32], seeds: [222]}
                schedules:
                  - {epochs: 12, cells: representatives}
                  - {epochs: 200, cells: ['0|10|210', '3|33|333']}
                """;
        String reordered = """
                # the same spec: keys in another order, block style, comments, lists reversed
                schedules:
                  - cells:
                      - 3|33|333
                      - '0|10|210'
                    epochs: 200
                  - cells: representatives
                    epochs: 12

                grid:
                  seeds: [ 222 ]
                  batchSizes: [32]
                  lrs:   [0.2, 1e-1]   # 1e-1 is 0.1
                output: "o"
                data:
                  trainSize: 256
                  uri: ./../data
                network: {width: 16, cellsPerStage: 5, stages: 3}  # the default, written out
                name: hash
                """;
        String hash = Examples.parse(spec).specHash();
        assertThat(hash).matches("[0-9a-f]{16}");
        assertThat(Examples.parse(reordered).specHash()).isEqualTo(hash);
        assertThat(Examples.parse(reordered).canonicalText()).isEqualTo(Examples.parse(spec).canonicalText());

        assertThat(Examples.parse(spec.replace("0.2", "0.3")).specHash()).isNotEqualTo(hash);
        assertThat(Examples.parse(spec.replace("200", "100")).specHash()).isNotEqualTo(hash);
        assertThat(Examples.parse(spec.replace("trainSize: 256", "trainSize: 255")).specHash()).isNotEqualTo(hash);
        assertThat(Examples.parse(spec.replace("'3|33|333'", "'2|33|333'")).specHash()).isNotEqualTo(hash);
        assertThat(Examples.parse(spec + "resources: {threadsPerTask: 2}\n").specHash()).isNotEqualTo(hash);
        assertThat(BenchmarkSpec.parse(spec, URI.create("file:/elsewhere/s.yaml")).specHash())
                .as("data and output resolve to other places").isNotEqualTo(hash);
    }

    @Test
    void recordsBuiltInCodeObeyTheSameRules() {
        assertThatThrownBy(() -> new GridSpec(List.of(0.1, -0.1), List.of(16), List.of(222)))
                .hasMessage("grid.lrs[1]: must be > 0, was -0.1");
        assertThatThrownBy(() -> new GridSpec(List.of(0.1), List.of(16, 16), List.of(222)))
                .hasMessage("grid.batchSizes: holds 16 twice");
        assertThatThrownBy(() -> new GridSpec(List.of(0.1), List.of(16), List.of()))
                .hasMessage("grid.seeds: must not be empty");
        assertThatThrownBy(() -> new Resources(0, 1)).hasMessage("resources.threadsPerTask: must be ≥ 1, was 0");
        assertThatThrownBy(() -> new Resources(1, 1.5)).hasMessageStartingWith("resources.gpusPerTask: must be 0");
        assertThatThrownBy(() -> new Schedule(0, new CellSelection.All())).hasMessage("epochs: must be ≥ 1, was 0");
        assertThatThrownBy(() -> new CellSelection.RandomSample(0, 1)).hasMessage("random: must be ≥ 1, was 0");
        assertThatThrownBy(() -> new CellSelection.RandomSample(1_012, 1).classes(SearchSpace.NAS_HPO_BENCH_2))
                .hasMessage("random: must be 1–1011 (the number of cell classes), was 1012");
        assertThatThrownBy(() -> new CellSelection.Explicit(List.of(SearchSpace.NAS_HPO_BENCH_2.parse("0|10|210"), SearchSpace.NAS_HPO_BENCH_2.parse("0|10|210"))))
                .hasMessage("cells: holds 0|10|210 twice");
        assertThatThrownBy(() -> new DataSpec(URI.create("d"), OptionalInt.empty(), OptionalInt.empty(),
                OptionalInt.empty())).hasMessage("data.uri: must be an absolute hierarchical URI (scheme:/path), was d");
        assertThatThrownBy(() -> new DataSpec(Examples.LOCATION, OptionalInt.of(25_001), OptionalInt.empty(),
                OptionalInt.empty())).hasMessage("data.trainSize: must be 1–25000, was 25001");
        Schedule schedule = new Schedule(1, new CellSelection.All());
        assertThatThrownBy(() -> new BenchmarkSpec("x", new DataSpec(Examples.LOCATION, OptionalInt.empty(),
                OptionalInt.empty(), OptionalInt.empty()), Examples.LOCATION, SearchSpace.NAS_HPO_BENCH_2, NetworkShape.BENCHMARK, GridSpec.BENCHMARK,
                List.of(schedule, schedule), Optional.empty()))
                .hasMessage("schedules: holds {epochs: 1, cells: all} twice");
    }
}
