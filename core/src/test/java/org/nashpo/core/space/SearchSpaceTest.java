package org.nashpo.core.space;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SearchSpaceTest {

    private static final SearchSpace NHB2 = SearchSpace.NAS_HPO_BENCH_2;
    private static final SearchSpace NB201 = SearchSpace.NAS_BENCH_201;
    /** NAS-HPO-Bench-II's space extended by the 1×1 convolution, appended as digit 4. */
    private static final SearchSpace EXTENDED =
            SearchSpace.of(List.of(Op.CONV3X3, Op.AVGPOOL3X3, Op.SKIP, Op.ZERO, Op.CONV1X1));

    @Test
    void nasBench201sSpaceHasItsFiveOperationsInItsOwnOrder() {
        assertThat(NB201.operations()).extracting(Op::nb201Name)
                .containsExactly("none", "skip_connect", "nor_conv_1x1", "nor_conv_3x3", "avg_pool_3x3");
        assertThat(NB201.size()).isEqualTo(15_625);
        assertThat(NB201.cells()).hasSize(15_625).doesNotHaveDuplicates();
        assertThat(NB201.cell(0)).hasToString("0|00|000");
        assertThat(NB201.cell(15_624)).hasToString("4|44|444");
        for (int i : new int[] {0, 1, 777, 15_624}) {
            assertThat(NB201.cell(i).index()).isEqualTo(i);
            assertThat(NB201.parse(NB201.cell(i).toString())).isEqualTo(NB201.cell(i));
        }
    }

    /** 6,466: NAS-Bench-201's published count of unique architectures (NATS-Bench notebooks/issue-12.ipynb). */
    @Test
    void nasBench201sOwnRuleGivesItsPublishedCountAndOursIsStatedBesideIt() {
        assertThat(NB201.nb201UniqueCount()).isEqualTo(6_466);
        // our rule also merges what addition's associativity and pruning make equal, and keeps parallel edges
        assertThat(NB201.classes()).hasSize(5_425);
        assertThat(NB201.classes().stream().mapToInt(CellClass::size).sum()).isEqualTo(15_625);
        // and in NAS-HPO-Bench-II's space, NAS-Bench-201's rule tells 1,236 apart where ours finds 1,011
        assertThat(NHB2.nb201UniqueCount()).isEqualTo(1_236);
    }

    /** Strings from AutoDL-Projects' own {@code to_unique_str(consider_zero=True)} over NAS-Bench-201's archs. */
    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {
        "|avg_pool_3x3~0|+|nor_conv_1x1~0|skip_connect~1|+|nor_conv_1x1~0|skip_connect~1|skip_connect~2|;"
                + " (0)@avg_pool_3x3+(0)@avg_pool_3x3+(0)@nor_conv_1x1+(0)@nor_conv_1x1",
        "|nor_conv_3x3~0|+|nor_conv_3x3~0|avg_pool_3x3~1|+|skip_connect~0|nor_conv_3x3~1|skip_connect~2|;"
                + " ((0)@nor_conv_3x3)@avg_pool_3x3+(0)@nor_conv_3x3+((0)@nor_conv_3x3)@nor_conv_3x3+0",
        "|none~0|+|none~0|none~1|+|skip_connect~0|none~1|none~2|; #+#+0",
        "|none~0|+|none~0|none~1|+|skip_connect~0|none~1|skip_connect~2|; #+#+#+0",
    })
    void theUniqueStringIsNasBench201sVerbatim(String arch, String unique) {
        assertThat(ArchString.uniqueString(NB201.parse(arch))).isEqualTo(unique);
    }

    @Test
    void architectureStringsAndCellcodesNameTheSameCells() {
        String arch = "|nor_conv_3x3~0|+|nor_conv_3x3~0|avg_pool_3x3~1|+|none~0|nor_conv_1x1~1|skip_connect~2|";
        CellCode cell = NB201.parse(arch);
        assertThat(cell).hasToString("3|34|021");
        assertThat(cell.nb201String()).isEqualTo(arch);
        assertThat(NB201.parse("3|34|021")).isEqualTo(cell);
        // edges in cellcode order: 0→1 | 0→2, 1→2 | 0→3, 1→3, 2→3
        assertThat(cell.edges()).containsExactly(Op.CONV3X3, Op.CONV3X3, Op.AVGPOOL3X3, Op.ZERO, Op.CONV1X1, Op.SKIP);
        // NAS-HPO-Bench-II's cells have strings too, from its own digits
        assertThat(NHB2.parse("0|10|210").nb201String())
                .isEqualTo("|nor_conv_3x3~0|+|avg_pool_3x3~0|nor_conv_3x3~1|+|skip_connect~0|avg_pool_3x3~1|nor_conv_3x3~2|");
        assertThat(NHB2.parse(NHB2.parse("0|10|210").nb201String())).isEqualTo(NHB2.parse("0|10|210"));
    }

    @Test
    void badArchitectureStringsAreRefusedNamingWhatIsWrong() {
        assertThatThrownBy(() -> NHB2.parse("|nor_conv_1x1~0|+|none~0|none~1|+|none~0|none~1|none~2|"))
                .hasMessageContaining("nor_conv_1x1 is not an operation of the space");
        assertThatThrownBy(() -> NB201.parse("|nor_conv_3x3~0|+|none~0|none~1|"))
                .hasMessageContaining("has 2 nodes, not 3");
        assertThatThrownBy(() -> NB201.parse("|conv~0|+|none~0|none~1|+|none~0|none~1|none~2|"))
                .hasMessageContaining("\"conv\" is not an operation");
        assertThatThrownBy(() -> NB201.parse("|none~1|+|none~0|none~1|+|none~0|none~1|none~2|"))
                .hasMessageContaining("\"none~1\" is not OP~j with 0 ≤ j < 1");
        assertThatThrownBy(() -> NB201.parse("|none~0|+|none~0|none~0|+|none~0|none~1|none~2|"))
                .hasMessageContaining("names its input 0 twice");
        assertThatThrownBy(() -> NB201.parse("0|10|215")).hasMessageContaining("'5' at position 8 is not an operation digit")
                .hasMessageContaining("0 zero, 1 skip, 2 conv1x1, 3 conv3x3, 4 avgpool3x3");
    }

    /**
     * A space extended by an operation keeps every class, id and representative it had: a cell's key depends only
     * on the operations its class's representative uses.
     */
    @Test
    void extendingASpaceByAnOperationKeepsItsClassesAndRepresentatives() {
        assertThat(EXTENDED.size()).isEqualTo(15_625);
        for (CellClass cls : NHB2.classes()) {
            CellClass same = EXTENDED.classOf(cls.representative());
            assertThat(same.id()).isEqualTo(cls.id());
            assertThat(same.representative().stableCode()).isEqualTo(cls.representative().stableCode());
            assertThat(same.representative().toString()).isEqualTo(cls.representative().toString());
        }
        // the new classes are those whose function uses the new operation
        long withConv1x1 = EXTENDED.classes().stream().filter(c -> c.canonical().operations().contains(Op.CONV1X1))
                .count();
        assertThat(EXTENDED.classes()).hasSize(1_011 + (int) withConv1x1);
        assertThat(EXTENDED.classes()).filteredOn(c -> !c.canonical().operations().contains(Op.CONV1X1))
                .allSatisfy(c -> assertThat(NHB2.findClass(c.id())).isPresent());
    }

    @Test
    void classesAndRepresentativesDoNotDependOnTheDigitOrder() {
        List<Op> shuffled = new ArrayList<>(NB201.operations());
        Collections.shuffle(shuffled, new Random(5));
        SearchSpace other = SearchSpace.of(shuffled);
        assertThat(other).isNotEqualTo(NB201);
        assertThat(other.classes()).hasSize(NB201.classes().size());
        Set<String> ids = NB201.classes().stream().map(CellClass::id).collect(Collectors.toSet());
        for (CellClass cls : other.classes()) {
            assertThat(ids).contains(cls.id());
            assertThat(cls.representative().stableCode())
                    .isEqualTo(NB201.classById(cls.id()).representative().stableCode());
        }
    }

    @Test
    void aClassNasHpoBench2TrainedKeepsItsCellAndAnyOtherTakesItsSmallestOwnMember() {
        // the zero class: NAS-HPO-Bench-II trained 0|00|333 (conv3x3 on the dead edges); NAS-Bench-201's space
        // holds those operations, so it trains the same cell
        assertThat(NB201.classOf(NB201.parse("0|00|000")).representative().stableCode()).isEqualTo("0|00|333");
        // a class using the 1×1 convolution is trained on its cheapest member: x → conv1x1 → skip is conv1x1 on the
        // edge 0→3 and nothing else, not a member with convolutions on dead edges
        CellClass cls = NB201.classOf(NB201.parse("|nor_conv_1x1~0|+|nor_conv_3x3~0|none~1|+|none~0|skip_connect~1|none~2|"));
        assertThat(cls.representative().nb201String())
                .isEqualTo("|none~0|+|none~0|none~1|+|nor_conv_1x1~0|none~1|none~2|");
        assertThat(cls.members()).contains(NB201.parse("|nor_conv_1x1~0|+|nor_conv_1x1~0|nor_conv_1x1~1|+|none~0|skip_connect~1|none~2|"));
        // without conv3x3, NAS-HPO-Bench-II's trained cell is not in the space: the rule picks from the members
        SearchSpace noConv = SearchSpace.of(List.of(Op.AVGPOOL3X3, Op.SKIP, Op.ZERO));
        assertThat(noConv.classOf(noConv.parse("2|22|222")).representative().edges()).doesNotContain(Op.CONV3X3);
    }

    @Test
    void spacesAreValuesOfTheirOperationsInOrder() {
        assertThat(SearchSpace.of(List.of(Op.CONV3X3, Op.AVGPOOL3X3, Op.SKIP, Op.ZERO))).isSameAs(NHB2);
        assertThat(SearchSpace.ofNames(List.of("conv", "avgpool", "skip", "zero"))).isSameAs(NHB2);
        assertThat(NHB2).hasToString("[conv3x3, avgpool3x3, skip, zero]");
        assertThatThrownBy(() -> SearchSpace.of(List.of(Op.SKIP, Op.SKIP))).hasMessage("space operations: skip is listed twice");
        assertThatThrownBy(() -> SearchSpace.of(List.of())).hasMessage("space operations: must be 1–10, were 0");
        assertThatThrownBy(() -> SearchSpace.ofNames(List.of("maxpool"))).hasMessageStartingWith(
                "operation \"maxpool\" is not known; expected one of conv3x3, avgpool3x3, skip, zero, conv1x1");
        assertThatThrownBy(() -> new CellCode(NHB2, List.of(Op.CONV1X1, Op.ZERO, Op.ZERO, Op.ZERO, Op.ZERO, Op.ZERO)))
                .hasMessage("cell edges[0]: conv1x1 is not an operation of the space [conv3x3, avgpool3x3, skip, zero]");
    }

    @Test
    void theLongScheduleCellsExistWhereTheirOperationsDo() {
        assertThat(NB201.hasLongScheduleCells()).isTrue();
        assertThat(NB201.longScheduleCells()).hasSize(100).extracting(CellCode::stableCode)
                .isEqualTo(NHB2.longScheduleCells().stream().map(CellCode::toString).toList());
        SearchSpace noPool = SearchSpace.of(List.of(Op.CONV3X3, Op.SKIP, Op.ZERO));
        assertThat(noPool.hasLongScheduleCells()).isFalse();
    }
}
