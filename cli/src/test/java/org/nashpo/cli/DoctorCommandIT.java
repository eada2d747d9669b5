package org.nashpo.cli;

import org.nashpo.core.space.SearchSpace;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.nashpo.core.space.CellCode;
import org.nashpo.core.network.NetworkCost;
import org.nashpo.core.network.NetworkShape;

/** nashpo doctor on this CPU: the backend it loaded, oneDNN serving every op of a step, limits, a throughput. */
class DoctorCommandIT {

    @Test
    void aCpuNodeIsExaminedAndItsFindingsReported() throws Exception {
        long heap = PerfRelations.heapInUse();
        CliRun r = CliRun.of("doctor", "--json", "--width", "4", "--batch-size", "8", "--steps", "2", "--threads", "2");
        JsonNode report = r.json();
        assertThat(report.get("backend").asText()).contains("CPU").contains("oneDNN on");
        assertThat(report.get("nativeBuild").asText()).startsWith("linux-x86_64-onednn");
        assertThat(report.get("buildFeatures")).extracting(JsonNode::asText).contains("HAVE_ONEDNN");
        JsonNode cpu = report.get("devices").get(0);
        assertThat(cpu.get("kind").asText()).isEqualTo("cpu");
        assertThat(cpu.get("supported").asBoolean()).isTrue();
        JsonNode kernels = report.get("kernels");
        assertThat(kernels.get("library").asText()).isEqualTo("oneDNN");
        // every variant the two families' layers need of oneDNN: 3×3 convolutions at strides 1 and 2, 1×1 convolutions
        // (forward, backward data, backward weights each), average pooling counting and excluding padding and the
        // reductions' 2×2 (both ways each); BatchNorm runs on the engine's own kernel on the CPU
        assertThat(kernels.get("executed").size()).isEqualTo(15);
        assertThat(kernels.get("executed").fieldNames()).toIterable()
                .noneSatisfy(name -> assertThat(name).contains("batch normalization"));
        assertThat(kernels.get("executed").fieldNames()).toIterable()
                .anySatisfy(name -> assertThat(name).contains("padding excluded"));
        kernels.get("executed").forEach(seen -> assertThat(seen.asBoolean()).isTrue());
        JsonNode memory = report.get("memory");
        assertThat(memory.get("heapMax").asLong()).isEqualTo(Runtime.getRuntime().maxMemory());
        assertThat(memory.get("offHeapMax").asLong()).isPositive();
        assertThat(memory.get("machine").asLong()).isPositive();
        JsonNode throughput = report.get("throughput");
        assertThat(throughput.get("iterations").asInt()).isEqualTo(2);
        assertThat(throughput.get("batchSize").asInt()).isEqualTo(8);
        assertThat(throughput.get("multiplyAdds").asLong())
                .isEqualTo(NetworkCost.of(SearchSpace.NAS_HPO_BENCH_2.parse("0|00|000"), new NetworkShape(4, 5, 3)).multiplyAdds());
        PerfRelations.throughput(throughput, r.seconds(), heap);
        // the exit code says whether problems were found, and the report lists them
        assertThat(r.code()).isEqualTo(report.get("problems").isEmpty() ? Main.EXIT_OK : Main.EXIT_FAILED);
    }
}
