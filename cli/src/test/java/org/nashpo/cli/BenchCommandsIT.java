package org.nashpo.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** nashpo synth-bench writes a full-size benchmark that nashpo bench-query opens and queries. */
class BenchCommandsIT {

    private static JsonNode json(String... args) throws Exception {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(new PrintWriter(out), new PrintWriter(err), args);
        assertThat(code).as(err.toString()).isZero();
        return new ObjectMapper().readTree(out.toString());
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

        StringWriter err = new StringWriter();
        int code = Main.run(new PrintWriter(new StringWriter()), new PrintWriter(err), "bench-query", "--bench",
                dir.resolve("missing").toString());
        assertThat(code).isEqualTo(Main.EXIT_BAD_INPUT);
        assertThat(err.toString()).contains("missing");
    }
}
