package org.nashpo.bench.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CommandsTest {

    @Test
    void synthBenchWritesABenchmarkThatPerfQueryOpensAndMeasures(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("synthetic");

        SynthBench.Result written = SynthBench.run(out, 7);
        long start = System.nanoTime();
        PerfQuery.Result measured = PerfQuery.run(out, true);
        double wall = (System.nanoTime() - start) / 1e9;

        assertThat(written.runs()).isEqualTo(145_584);
        assertThat(written.predictions()).isEqualTo(196_608);
        assertThat(written.seed()).isEqualTo(7);
        assertThat(written.bytes()).isEqualTo(Files.size(out.resolve("runs-12/part-00000.avro"))
                + Files.size(out.resolve("predictions-200/part-00000.avro")));
        assertThat(written.text()).anyMatch(line -> line.contains("145,584"));
        assertThat(measured.runs()).isEqualTo(145_584);
        assertThat(measured.source()).isEqualTo("synthetic");
        assertThat(measured.checksumsVerified()).isTrue();
        assertThat(measured.checksumProblems()).isEmpty();
        // the open, the warm-up and the measured loop run inside the call, and the loop made at least one whole
        // pass of INDICES queries in what remained of it
        assertThat(measured.openSeconds()).isPositive()
                .isLessThanOrEqualTo(wall - PerfQuery.WARM_UP_SECONDS - PerfQuery.MEASURE_SECONDS);
        assertThat(measured.queriesPerSecond())
                .isGreaterThanOrEqualTo(PerfQuery.INDICES / (wall - measured.openSeconds() - PerfQuery.WARM_UP_SECONDS));
        assertThat(measured.footprintBytes()).isBetween(100_000_000L, 110_000_000L);
        assertThat(measured.queriesPerSecond()).isGreaterThan(1e5);
        assertThat(measured.text()).anyMatch(line -> line.startsWith("queries "))
                .anyMatch(line -> line.contains("all files match"));
    }

    @Test
    void synthBenchRefusesAnOccupiedDirectory(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("x"), "");

        assertThatThrownBy(() -> SynthBench.run(dir, 1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not empty");
    }
}
