package org.nashpo.core.space;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CellCodeTest {

    @Test
    void thereAre4096CellcodesAndEachFormatsAndParsesBack() {
        Set<String> texts = new HashSet<>();
        for (CellCode cell : SearchSpace.NAS_HPO_BENCH_2.cells()) {
            String text = cell.toString();
            assertThat(text).matches("[0-3]\\|[0-3]{2}\\|[0-3]{3}");
            assertThat(SearchSpace.NAS_HPO_BENCH_2.parse(text)).isEqualTo(cell);
            texts.add(text);
        }
        assertThat(texts).hasSize(4096);
    }

    @Test
    void indexIsTheOrderOfTheStrings() {
        List<String> sorted = new ArrayList<>();
        for (CellCode cell : SearchSpace.NAS_HPO_BENCH_2.cells()) {
            sorted.add(cell.toString());
        }
        sorted.sort(null);
        for (int i = 0; i < sorted.size(); i++) {
            CellCode cell = SearchSpace.NAS_HPO_BENCH_2.parse(sorted.get(i));
            assertThat(cell.index()).isEqualTo(i);
            assertThat(SearchSpace.NAS_HPO_BENCH_2.cell(i)).isEqualTo(cell);
        }
        assertThat(SearchSpace.NAS_HPO_BENCH_2.cell(0)).hasToString("0|00|000");
        assertThat(SearchSpace.NAS_HPO_BENCH_2.cell(4095)).hasToString("3|33|333");
    }

    @Test
    void digitsMapToTheEdgesInProtocolOrder() {
        CellCode cell = SearchSpace.NAS_HPO_BENCH_2.parse("0|10|210");
        assertThat(cell.edges()).containsExactly(Op.CONV3X3, Op.AVGPOOL3X3, Op.CONV3X3, Op.SKIP, Op.AVGPOOL3X3, Op.CONV3X3);
        int[][] edges = {{0, 1}, {0, 2}, {1, 2}, {0, 3}, {1, 3}, {2, 3}};
        for (int e = 0; e < CellCode.EDGES; e++) {
            assertThat(new int[] {CellCode.from(e), CellCode.to(e)}).containsExactly(edges[e]);
        }
        assertThat(cell.count(Op.CONV3X3)).isEqualTo(3);
    }

    @Test
    void nullIsRejectedWithTheExpectedForm() {
        assertThatThrownBy(() -> SearchSpace.NAS_HPO_BENCH_2.parse(null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cellcode is null")
                .hasMessageContaining("expected A|BC|DEF");
    }

    @ParameterizedTest
    @ValueSource(strings = {"0|1|2", "4|00|000", "abc", "", "0|00|0000", "0-00-000", "0|0a|000", " 0|00|000"})
    void malformedCellcodesAreRejectedNamingTheValue(String text) {
        assertThatThrownBy(() -> SearchSpace.NAS_HPO_BENCH_2.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cellcode \"" + text + "\"")
                .hasMessageContaining("expected A|BC|DEF");
    }

    @Test
    void aBadDigitIsNamedWithItsPosition() {
        assertThatThrownBy(() -> SearchSpace.NAS_HPO_BENCH_2.parse("4|00|000"))
                .hasMessageContaining("character '4' at position 1 is not an operation digit");
        assertThatThrownBy(() -> SearchSpace.NAS_HPO_BENCH_2.parse("0|0a|000"))
                .hasMessageContaining("character 'a' at position 4");
    }

    @ParameterizedTest
    @ValueSource(ints = {-1, 4096, Integer.MAX_VALUE})
    void indicesOutOfRangeAreRejected(int index) {
        assertThatThrownBy(() -> SearchSpace.NAS_HPO_BENCH_2.cell(index))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cell index " + index + " is out of range")
                .hasMessageContaining("0 ≤ index < 4096");
    }
}
