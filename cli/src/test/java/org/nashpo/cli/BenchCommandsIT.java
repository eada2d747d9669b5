package org.nashpo.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** nashpo synth-bench writes a full-size benchmark that nashpo bench-query opens and queries. */
class BenchCommandsIT {

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

        JsonNode queried = json("bench-query", "--bench", bench.toString(), "--verify", "--json");
        assertThat(queried.get("runs").asLong()).isEqualTo(1011L * 48 * 3);
        assertThat(queried.get("openSeconds").asDouble()).isPositive();

        CliRun missing = CliRun.of("bench-query", "--bench", dir.resolve("missing").toString());
        assertThat(missing.code()).isEqualTo(Main.EXIT_BAD_INPUT);
        assertThat(missing.err()).contains("missing");
    }
}
