package org.nashpo.core.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nashpo.core.space.Op;
import java.util.List;
import org.nashpo.core.grid.Configuration;
import org.nashpo.core.space.CellCode;
import org.nashpo.core.network.NetworkShape;
import org.nashpo.core.space.SearchSpace;

class RunKeyTest {

    private static final TrainingProtocol PROTOCOL =
            new TrainingProtocol(NetworkShape.BENCHMARK, 25_000, 25_000, 10_000, Map.of("data_batch_1.bin", "abc"));

    @Test
    void equivalentCellsShareOneKeyAndTrainTheRepresentative() {
        RunKey a = RunKey.of(PROTOCOL, new Configuration(SearchSpace.NAS_HPO_BENCH_2.parse("0|13|322"), 0.1, 256), 222, 12);
        RunKey b = RunKey.of(PROTOCOL, new Configuration(SearchSpace.NAS_HPO_BENCH_2.parse("1|03|322"), 0.1, 256), 222, 12);
        assertThat(a).isEqualTo(b);
        assertThat(a.cellcode()).isEqualTo(SearchSpace.NAS_HPO_BENCH_2.classOf(SearchSpace.NAS_HPO_BENCH_2.parse("1|03|322")).representative());
        assertThat(a.protocolId()).isEqualTo(PROTOCOL.id());
    }

    @Test
    void everyKeyFieldDistinguishesRuns() {
        Configuration c = new Configuration(SearchSpace.NAS_HPO_BENCH_2.parse("0|10|210"), 0.1, 256);
        RunKey k = RunKey.of(PROTOCOL, c, 222, 12);
        assertThat(RunKey.of(PROTOCOL, c, 555, 12)).isNotEqualTo(k);
        assertThat(RunKey.of(PROTOCOL, c, 222, 200)).isNotEqualTo(k);
        assertThat(RunKey.of(PROTOCOL, new Configuration(c.cell(), 0.2, 256), 222, 12)).isNotEqualTo(k);
        TrainingProtocol narrow = new TrainingProtocol(new NetworkShape(8, 5, 3), 25_000, 25_000, 10_000,
                Map.of("data_batch_1.bin", "abc"));
        assertThat(RunKey.of(narrow, c, 222, 12)).isNotEqualTo(k);
    }

    @Test
    void theIdIsStableAndDiffersPerRun() {
        Configuration c = new Configuration(SearchSpace.NAS_HPO_BENCH_2.parse("0|10|210"), 0.1, 256);
        RunKey k = RunKey.of(PROTOCOL, c, 222, 12);
        assertThat(k.id()).matches("[0-9a-f]{16}").isEqualTo(RunKey.of(PROTOCOL, c, 222, 12).id());
        // run files are named by this id: it must not change between releases
        assertThat(new RunKey("p", k.cellClassId(), k.cellcode(), 0.1, 256, 222, 12).id()).isEqualTo("4bcdc8dc63ee527c");
        assertThat(RunKey.of(PROTOCOL, c, 555, 12).id()).isNotEqualTo(k.id());
        assertThat(RunKey.of(PROTOCOL, c, 222, 200).id()).isNotEqualTo(k.id());
    }

    @Test
    void aClassIdThatIsNotTheCellsIsRejected() {
        assertThatThrownBy(() -> new RunKey("p", "0000000000000000", SearchSpace.NAS_HPO_BENCH_2.parse("0|10|210"), 0.1, 256, 222, 12))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cellClassId: 0000000000000000 is not the class of 0|10|210");
        assertThatThrownBy(() -> RunKey.of(PROTOCOL, new Configuration(SearchSpace.NAS_HPO_BENCH_2.parse("0|10|210"), 0.1, 256), 222, 0))
                .hasMessageContaining("epochs: must be ≥ 1, was 0");
    }

    @Test
    void aRunKeyIsTheSameRunInAnySpaceThatHoldsItsOperations() {
        SearchSpace extended = SearchSpace.of(List.of(Op.CONV1X1, Op.CONV3X3, Op.AVGPOOL3X3, Op.SKIP, Op.ZERO));
        TrainingProtocol protocol = new TrainingProtocol(NetworkShape.BENCHMARK, 100, 100, 100, Map.of());
        RunKey old = RunKey.of(protocol, new Configuration(SearchSpace.NAS_HPO_BENCH_2.parse("0|10|210"), 0.1, 256),
                222, 12);
        RunKey same = RunKey.of(protocol, new Configuration(extended.parse("1|21|321"), 0.1, 256), 222, 12);
        assertThat(same.cellcode()).hasToString("1|21|321");
        assertThat(same.id()).isEqualTo(old.id());
        assertThat(same).isEqualTo(old).hasSameHashCodeAs(old);
        assertThat(RunKey.of(protocol, new Configuration(extended.parse("0|21|321"), 0.1, 256), 222, 12))
                .isNotEqualTo(old);
    }
}
