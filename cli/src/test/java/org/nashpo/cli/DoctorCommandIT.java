package org.nashpo.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.nashpo.core.space.CellCode;
import org.nashpo.core.space.NetworkCost;
import org.nashpo.core.space.NetworkShape;

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
        assertThat(kernels.get("executed").size()).isEqualTo(7);
        kernels.get("executed").forEach(seen -> assertThat(seen.asBoolean()).isTrue());
        JsonNode memory = report.get("memory");
        assertThat(memory.get("heapMax").asLong()).isEqualTo(Runtime.getRuntime().maxMemory());
        assertThat(memory.get("offHeapMax").asLong()).isPositive();
        assertThat(memory.get("machine").asLong()).isPositive();
        JsonNode throughput = report.get("throughput");
        assertThat(throughput.get("iterations").asInt()).isEqualTo(2);
        assertThat(throughput.get("batchSize").asInt()).isEqualTo(8);
        assertThat(throughput.get("multiplyAdds").asLong())
                .isEqualTo(NetworkCost.of(CellCode.parse("0|00|000"), new NetworkShape(4, 5, 3)).multiplyAdds());
        PerfRelations.throughput(throughput, r.seconds(), heap);
        // the exit code says whether problems were found, and the report lists them
        assertThat(r.code()).isEqualTo(report.get("problems").isEmpty() ? Main.EXIT_OK : Main.EXIT_FAILED);
    }
}
