package org.nashpo.cli;

import org.nashpo.core.space.SearchSpace;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nashpo.core.space.CellCode;
import org.nashpo.core.network.NetworkCost;
import org.nashpo.core.network.NetworkShape;

/**
 * nashpo synth-bench writes a full-size benchmark that nashpo perf-query opens and queries; nashpo
 * perf-train measures the worker's engine.
 */
class PerfCommandsIT {

    private static JsonNode json(String... args) throws Exception {
        CliRun r = CliRun.of(args);
        assertThat(r.code()).as(r.err()).isZero();
        return r.json();
    }

    @Test
    void aSyntheticBenchmarkIsWrittenAndQueried(@TempDir Path dir) throws Exception {
        Path bench = dir.resolve("synth");
        JsonNode written = json("synth-bench", "--out", bench.toString(), "--seed", "7", "--json");
        assertThat(written.get("runs").asLong()).isEqualTo(1011L * 48 * 3);
        assertThat(written.get("predictions").asLong()).isEqualTo(196_608);

        CliRun query = CliRun.of("perf-query", "--bench", bench.toString(), "--verify", "--json");
        assertThat(query.code()).as(query.err()).isZero();
        JsonNode queried = query.json();
        assertThat(queried.get("runs").asLong()).isEqualTo(1011L * 48 * 3);
        PerfRelations.query(queried, query.seconds());

        CliRun missing = CliRun.of("perf-query", "--bench", dir.resolve("missing").toString());
        assertThat(missing.code()).isEqualTo(Main.EXIT_BAD_INPUT);
        assertThat(missing.err()).contains("missing");
    }

    @Test
    void perfTrainMeasuresTheNetworkAsked() throws Exception {
        long heap = PerfRelations.heapInUse();
        CliRun train = CliRun.of("perf-train", "--cellcode", "0|10|210", "--width", "4", "--cells-per-stage", "1",
                "--batch-size", "8", "--threads", "2", "--warmup", "1", "--iterations", "2", "--json");
        assertThat(train.code()).as(train.err()).isZero();
        JsonNode r = train.json();
        assertThat(r.get("cellcode").asText()).isEqualTo("0|10|210");
        assertThat(r.get("batchSize").asInt()).isEqualTo(8);
        assertThat(r.get("network").get("width").asInt()).isEqualTo(4);
        assertThat(r.get("multiplyAdds").asLong())
                .isEqualTo(NetworkCost.of(SearchSpace.NAS_HPO_BENCH_2.parse("0|10|210"), new NetworkShape(4, 1, 3)).multiplyAdds());
        assertThat(r.get("iterations").asInt()).isEqualTo(2);
        PerfRelations.throughput(r, train.seconds(), heap);
        CliRun bad = CliRun.of("perf-train", "--batch-size", "eight");
        assertThat(bad.code()).isEqualTo(Main.EXIT_BAD_INPUT);
        assertThat(bad.err()).contains("--batch-size").contains("eight");
    }
}
