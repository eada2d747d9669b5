package org.nashpo.core.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nashpo.core.network.NetworkShape;

class TrainingProtocolTest {

    @Test
    void theIdIsStableAndIndependentOfChecksumOrder() {
        Map<String, String> ab = new LinkedHashMap<>();
        ab.put("a.bin", "1");
        ab.put("b.bin", "2");
        Map<String, String> ba = new LinkedHashMap<>();
        ba.put("b.bin", "2");
        ba.put("a.bin", "1");
        TrainingProtocol p = new TrainingProtocol(NetworkShape.BENCHMARK, 100, 100, 100, ab);
        assertThat(p.id()).isEqualTo(new TrainingProtocol(NetworkShape.BENCHMARK, 100, 100, 100, ba).id());
        assertThat(p.id()).matches("[0-9a-f]{16}");
        assertThat(p.canonicalText()).contains("network=16/5/3").contains("data=100/100/100").contains("a.bin=1;b.bin=2");
    }

    @Test
    void whatChangesResultsChangesTheId() {
        TrainingProtocol p = new TrainingProtocol(NetworkShape.BENCHMARK, 100, 100, 100, Map.of("a.bin", "1"));
        assertThat(new TrainingProtocol(NetworkShape.BENCHMARK, 100, 100, 100, Map.of("a.bin", "2")).id()).isNotEqualTo(p.id());
        assertThat(new TrainingProtocol(NetworkShape.BENCHMARK, 101, 100, 100, Map.of("a.bin", "1")).id()).isNotEqualTo(p.id());
        assertThat(new TrainingProtocol(new NetworkShape(16, 4, 3), 100, 100, 100, Map.of("a.bin", "1")).id())
                .isNotEqualTo(p.id());
    }

    @Test
    void emptySubsetsAreRejected() {
        assertThatThrownBy(() -> new TrainingProtocol(NetworkShape.BENCHMARK, 0, 100, 100, Map.of()))
                .hasMessageContaining("trainSize: must be ≥ 1, was 0");
    }

    @Test
    void theBuildNamesItsVersion() {
        assertThat(BuildInfo.current().version()).isNotBlank().doesNotStartWith("${");
    }
}
