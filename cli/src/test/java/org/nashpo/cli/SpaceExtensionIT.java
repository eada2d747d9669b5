package org.nashpo.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nashpo.bench.query.Benchmark;
import org.nashpo.core.grid.Configuration;
import org.nashpo.core.space.SearchSpace;
import org.nashpo.schema.TrainingRun;
import org.nashpo.worker.io.RunStore;

/**
 * A space extended by an operation reuses what exists (docs/PROTOCOL.md §1): a small space is built, then a spec
 * that adds the 1×1 convolution — as its first digit, so every cellcode of the old space is written with other
 * digits — into the same output. Construct trains only the cells whose class uses the new operation, plan prices
 * exactly those, and the aggregate holds the runs of both specs in the extended space's digits.
 */
class SpaceExtensionIT {

    private static Path spec(Path dir, String name, String space, String cells) throws Exception {
        Path mini = Path.of(System.getProperty("nashpo.miniData"));
        return Files.writeString(dir.resolve(name + ".yaml"), String.join("\n",
                "name: " + name,
                "space: " + space,
                "data: {uri: " + mini + ", trainSize: 128, validSize: 64, testSize: 64}",
                "output: " + dir.resolve("runs"),
                "network: {width: 4, cellsPerStage: 1, stages: 3}",
                "grid: {lrs: [0.1], batchSizes: [64], seeds: [222]}",
                "schedules:",
                "  - epochs: 1",
                "    cells: " + cells,
                "resources: {threadsPerTask: 1}",
                ""));
    }

    @Test
    void anExtendedSpaceTrainsOnlyTheCellsOfTheNewOperationAndTheAggregateHoldsBoth(@TempDir Path dir)
            throws Exception {
        // the old space: conv3x3 = 0, zero = 1
        Path small = spec(dir, "small", "{operations: [conv3x3, zero]}", "['0|00|000', '0|11|101', '1|11|111']");
        // extended by conv1x1 as digit 0: conv3x3 = 1, zero = 2; the old three cells, then two with conv1x1
        Path extended = spec(dir, "extended", "{operations: [conv1x1, conv3x3, zero]}",
                "['1|11|111', '1|22|212', '2|22|222', '0|00|000', "
                        + "'|nor_conv_1x1~0|+|nor_conv_3x3~0|none~1|+|none~0|none~1|nor_conv_1x1~2|']");

        CliRun first = CliRun.of("construct", "--spec", small.toString(), "--json");
        assertThat(first.code()).as(first.err()).isZero();
        assertThat(first.json().get("trained").asInt()).isEqualTo(3);
        Map<String, Long> before = modificationTimes(dir);

        CliRun priced = CliRun.of("plan", "--spec", extended.toString(), "--relative-to", small.toString(), "--gpus",
                "1", "--json");
        assertThat(priced.code()).as(priced.err()).isZero();
        JsonNode plan = priced.json();
        assertThat(plan.get("makespan").get("runs").asInt()).isEqualTo(5);
        assertThat(plan.get("extension").get("runs").asInt()).isEqualTo(2);

        CliRun second = CliRun.of("construct", "--spec", extended.toString(), "--json");
        assertThat(second.code()).as(second.err()).isZero();
        assertThat(second.json().get("planned").asInt()).isEqualTo(5);
        assertThat(second.json().get("skippedAlreadyPresent").asInt()).isEqualTo(3);
        assertThat(second.json().get("trained").asInt()).isEqualTo(2);
        // nothing of the first build was written again
        Map<String, Long> after = modificationTimes(dir);
        before.forEach((file, time) -> assertThat(after).containsEntry(file, time));
        assertThat(after).hasSize(5);

        // the new records name their space; the old ones are NAS-HPO-Bench-II-shaped records of the small space
        RunStore store = new RunStore(dir.resolve("runs").toUri(), new org.apache.hadoop.conf.Configuration());
        List<String> spaces = new ArrayList<>();
        for (TrainingRun run : store.scan(1).runs().values()) {
            spaces.add(String.valueOf(run.getKey().getOperations()));
        }
        assertThat(spaces).containsOnly("[conv3x3, zero]", "[conv1x1, conv3x3, zero]");

        Path bench = dir.resolve("bench");
        CliRun aggregated = CliRun.of("aggregate", "--runs", dir.resolve("runs").toString(), "--out",
                bench.toString(), "--master", "local[2]", "--json");
        assertThat(aggregated.code()).as(aggregated.err()).isZero();
        assertThat(aggregated.json().get("tables").get("shortRuns").asInt()).isEqualTo(5);
        assertThat(aggregated.json().get("space").get("operations").toString())
                .isEqualTo("[\"conv1x1\",\"conv3x3\",\"zero\"]");

        Benchmark opened = Benchmark.open(bench);
        SearchSpace space = opened.space();
        assertThat(space.operationNames()).containsExactly("conv1x1", "conv3x3", "zero");
        // every cell of both specs answers, in the extended space's digits: the old 0|11|101 is 1|22|212 there
        for (String cell : List.of("1|11|111", "1|22|212", "2|22|222", "0|00|000", "0|12|220")) {
            int index = opened.indexOf(new Configuration(space.parse(cell), 0.1, 64));
            assertThat(opened.has(index, 222)).as(cell).isTrue();
        }
    }

    /** Run file → its last modification (ms), under runs/runs/ (the local file system's .crc files aside). */
    private static Map<String, Long> modificationTimes(Path dir) throws Exception {
        Map<String, Long> times = new TreeMap<>();
        try (var files = Files.list(dir.resolve("runs/runs"))) {
            for (Path f : files.filter(f -> !f.getFileName().toString().startsWith(".")).toList()) {
                times.put(f.getFileName().toString(), Files.getLastModifiedTime(f).toMillis());
            }
        }
        return times;
    }
}
