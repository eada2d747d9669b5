package org.nashpo.core.grid;

import org.nashpo.core.space.SearchSpace;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nashpo.core.space.CellCode;

class ConfigIndexTest {

    private static Configuration config(String cell, double lr, int batch) {
        return new Configuration(SearchSpace.NAS_HPO_BENCH_2.parse(cell), lr, batch);
    }

    @Test
    void theGridIsTheProtocols() {
        assertThat(HpGrid.LEARNING_RATES).containsExactly(0.003125, 0.00625, 0.0125, 0.025, 0.05, 0.1, 0.2, 0.4);
        assertThat(HpGrid.BATCH_SIZES).containsExactly(16, 32, 64, 128, 256, 512);
        assertThat(HpGrid.SEEDS).containsExactly(222, 555, 888);
        assertThat(ConfigIndex.size(SearchSpace.NAS_HPO_BENCH_2)).isEqualTo(196_608);
    }

    @Test
    void everyIndexRoundTrips() {
        for (int i = 0; i < ConfigIndex.size(SearchSpace.NAS_HPO_BENCH_2); i++) {
            Configuration c = ConfigIndex.configuration(SearchSpace.NAS_HPO_BENCH_2, i);
            assertThat(ConfigIndex.indexOf(c)).isEqualTo(i);
        }
    }

    @Test
    void orderIsCellThenLrThenBatchSize() {
        assertThat(ConfigIndex.configuration(SearchSpace.NAS_HPO_BENCH_2, 0)).isEqualTo(config("0|00|000", 0.003125, 16));
        assertThat(ConfigIndex.configuration(SearchSpace.NAS_HPO_BENCH_2, 1)).isEqualTo(config("0|00|000", 0.003125, 32));
        assertThat(ConfigIndex.configuration(SearchSpace.NAS_HPO_BENCH_2, 6)).isEqualTo(config("0|00|000", 0.00625, 16));
        assertThat(ConfigIndex.configuration(SearchSpace.NAS_HPO_BENCH_2, 48)).isEqualTo(config("0|00|001", 0.003125, 16));
        assertThat(ConfigIndex.configuration(SearchSpace.NAS_HPO_BENCH_2, 196_607)).isEqualTo(config("3|33|333", 0.4, 512));
        // index = cell·48 + lr·6 + batch
        assertThat(ConfigIndex.indexOf(config("0|10|210", 0.1, 256)))
                .isEqualTo(SearchSpace.NAS_HPO_BENCH_2.parse("0|10|210").index() * 48 + 5 * 6 + 4);
    }

    @ParameterizedTest
    @ValueSource(ints = {-1, 196_608})
    void indicesOutOfRangeNameTheValue(int index) {
        assertThatThrownBy(() -> ConfigIndex.configuration(SearchSpace.NAS_HPO_BENCH_2, index))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("configuration index " + index + " is out of range")
                .hasMessageContaining("0 ≤ index < 196608");
    }

    @Test
    void offGridValuesNameTheValueAndTheGrid() {
        assertThatThrownBy(() -> ConfigIndex.indexOf(config("0|00|000", 0.3, 16)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("learning rate 0.3 is not in the benchmark's grid")
                .hasMessageContaining("0.003125, 0.00625, 0.0125, 0.025, 0.05, 0.1, 0.2, 0.4");
        assertThatThrownBy(() -> ConfigIndex.indexOf(config("0|00|000", 0.1, 100)))
                .hasMessageContaining("batch size 100 is not in the benchmark's grid")
                .hasMessageContaining("16, 32, 64, 128, 256, 512");
        assertThatThrownBy(() -> HpGrid.requireSeed(1))
                .hasMessageContaining("seed 1 is not one of the benchmark's seeds; expected one of 222, 555, 888");
    }

    @Test
    void configurationsRejectNonPositiveValues() {
        assertThatThrownBy(() -> config("0|00|000", -0.1, 16)).hasMessageContaining("learning rate: must be a finite number > 0, was -0.1");
        assertThatThrownBy(() -> config("0|00|000", Double.NaN, 16)).hasMessageContaining("was NaN");
        assertThatThrownBy(() -> config("0|00|000", 0.1, 0)).hasMessageContaining("batch size: must be ≥ 1, was 0");
    }
}
