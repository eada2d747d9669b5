package org.nashpo.core.space;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class NetworkCostTest {

    /** PROTOCOL.md §2's reference table (an independent PyTorch build). */
    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {
        "0|00|000; 1531850; 220119680",
        "0|10|210; 802730; 113951360",
        "3|33|333; 73610; 7783040",
        "2|22|222; 73610; 7783040",
        "1|11|111; 73610; 7783040",
    })
    void referenceValuesAtTheBenchmarkShape(String code, long parameters, long multiplyAdds) {
        NetworkCost cost = NetworkCost.of(CellCode.parse(code));
        assertThat(cost.parameters()).isEqualTo(parameters);
        assertThat(cost.multiplyAdds()).isEqualTo(multiplyAdds);
    }

    @Test
    void aConvFedOnlyByZerosStillCounts() {
        // 3|30|333: the conv on edge 1→2 sees a zero node, but the reference network holds it.
        NetworkCost deadConv = NetworkCost.of(CellCode.parse("3|30|333"));
        NetworkCost zero = NetworkCost.of(CellCode.parse("3|33|333"));
        assertThat(deadConv.parameters() - zero.parameters()).isEqualTo(5 * (2304 + 32) + 5 * (9216 + 64) + 5 * (36864 + 128));
    }

    @Test
    void reducedWidthByHand() {
        // width 4, 1 cell per stage, 2 stages, cell 0|33|333 (one conv edge):
        // stem 3·9·4+4 + BN 8 = 120; cells: 9·16+8 = 152 and 9·64+16 = 592;
        // reduction 4→8: (288+8)+16 + (576+8)+16 + (32+8) = 952; head BN 16 + 8·10+10 = 106.
        NetworkCost cost = NetworkCost.of(CellCode.parse("0|33|333"), new NetworkShape(4, 1, 2));
        assertThat(cost.parameters()).isEqualTo(120 + 152 + 592 + 952 + 106);
        // MACs: stem 1024·108; cell 1024·144 and 256·576; reduction 256·(288+576+32); dense 80.
        assertThat(cost.multiplyAdds()).isEqualTo(1024L * 108 + 1024L * 144 + 256L * 576 + 256L * (288 + 576 + 32) + 80);
    }

    @Test
    void shapesOutsideTheImageAreRejected() {
        assertThatThrownBy(() -> new NetworkShape(0, 5, 3)).hasMessageContaining("width: must be ≥ 1, was 0");
        assertThatThrownBy(() -> new NetworkShape(16, 5, 7)).hasMessageContaining("stages: must be in 1..6");
        assertThatThrownBy(() -> new NetworkShape(16, 0, 3)).hasMessageContaining("cellsPerStage: must be ≥ 1, was 0");
    }
}
