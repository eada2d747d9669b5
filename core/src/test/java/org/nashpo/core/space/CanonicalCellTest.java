package org.nashpo.core.space;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class CanonicalCellTest {

    private static final SearchSpace SPACE = SearchSpace.NAS_HPO_BENCH_2;

    private static Set<String> listed(String resource) throws IOException {
        try (InputStream in = SearchSpace.class.getResourceAsStream(resource)) {
            assertThat(in).as(resource).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
                    .filter(l -> !l.isBlank()).collect(Collectors.toSet());
        }
    }

    private static CanonicalCell canon(String code) {
        return CanonicalCell.of(SearchSpace.NAS_HPO_BENCH_2.parse(code));
    }

    @Test
    void the4096CellcodesFall1011Classes() {
        Set<CanonicalCell> forms = new HashSet<>();
        for (CellCode cell : SearchSpace.NAS_HPO_BENCH_2.cells()) {
            forms.add(CanonicalCell.of(cell));
        }
        assertThat(forms).hasSize(1011);
        assertThat(SPACE.classes()).hasSize(1011);
        assertThat(SPACE.classes().stream().mapToInt(CellClass::size).sum()).isEqualTo(4096);
    }

    @Test
    void everyClassHoldsExactlyOneCellOfTheOriginalList() throws IOException {
        Set<String> listed = listed(SearchSpace.REPRESENTATIVES_12);
        assertThat(listed).hasSize(1011);
        for (CellClass cls : SPACE.classes()) {
            List<String> inList = cls.members().stream().map(CellCode::toString).filter(listed::contains).toList();
            assertThat(inList).as("listed members of the class of %s", cls.representative()).hasSize(1);
            assertThat(cls.representative()).hasToString(inList.get(0));
        }
    }

    @Test
    void theLongScheduleCellsAre100DistinctRepresentatives() throws IOException {
        Set<String> listed = listed(SearchSpace.REPRESENTATIVES_12);
        List<CellCode> cells = SPACE.longScheduleCells();
        assertThat(cells).hasSize(100);
        assertThat(cells.stream().map(SPACE::classOf).distinct()).hasSize(100);
        assertThat(cells).allSatisfy(c -> assertThat(listed).contains(c.toString()));
    }

    @Test
    void theZeroCellAndTheAllConvCellHaveTheirOwnClasses() {
        CellClass zero = SPACE.classOf(SearchSpace.NAS_HPO_BENCH_2.parse("3|33|333"));
        CellClass allConv = SPACE.classOf(SearchSpace.NAS_HPO_BENCH_2.parse("0|00|000"));
        assertThat(zero).isNotEqualTo(allConv);
        assertThat(zero.canonical().isZero()).isTrue();
        assertThat(allConv.members()).containsExactly(SearchSpace.NAS_HPO_BENCH_2.parse("0|00|000"));
        // Everything whose output cannot see the input is the zero cell, e.g. a conv into a dead end.
        assertThat(zero.members()).contains(SearchSpace.NAS_HPO_BENCH_2.parse("0|03|333"), SearchSpace.NAS_HPO_BENCH_2.parse("2|22|333"));
        assertThat(zero.members()).doesNotContain(SearchSpace.NAS_HPO_BENCH_2.parse("3|33|233"));
    }

    @Test
    void passThroughSumsAndDeadEndsDoNotChangeTheFunction() {
        // conv then skip then skip == conv then skip straight to the output
        assertThat(canon("0|32|332")).isEqualTo(canon("0|33|323"));
        // a branch that never reaches the output is dropped
        assertThat(canon("0|33|233")).isEqualTo(canon("3|33|233"));
        assertThat(canon("2|03|233")).isEqualTo(canon("3|33|233"));
        // a sum with a single input passes it on, also to two consumers: x→1→{2, out}, 2→out is x + x
        assertThat(canon("2|32|322")).isEqualTo(canon("2|33|223"));
    }

    /** The one reachability of the project: what the canonical form keeps and the synthetic model counts. */
    @Test
    void liveEdgesAreThoseOnSomeInputToOutputPath() {
        // 0|03|323: conv 0→1, conv 0→2, zero 1→2, zero 0→3, skip 1→3, zero 2→3: 0→2 is a dead end
        assertThat(SearchSpace.NAS_HPO_BENCH_2.parse("0|03|323").liveEdges()).containsExactly(true, false, false, false, true, false);
        // 3|30|332: only 1→2→3, and nothing feeds node 1
        assertThat(SearchSpace.NAS_HPO_BENCH_2.parse("3|30|332").liveEdges()).containsOnly(false);
        assertThat(SearchSpace.NAS_HPO_BENCH_2.parse("0|00|000").liveEdges()).containsOnly(true);
    }

    @Test
    void parallelEdgesAreKeptBecauseXPlusXIsNotX() {
        // output = x  vs  output = x + x
        assertThat(canon("3|33|233")).isNotEqualTo(canon("2|33|223"));
        // two separate convs of the input differ from one conv used twice
        assertThat(canon("0|33|023")).isNotEqualTo(canon("0|32|322"));
    }

    @Test
    void isomorphicRelabellingsOfInnerNodesAreEqual() {
        // node 1 and node 2 swap roles: conv into node 1 / pool into node 2, both summed at the output
        assertThat(canon("0|13|322")).isEqualTo(canon("1|03|322"));
        assertThat(SPACE.classOf(SearchSpace.NAS_HPO_BENCH_2.parse("0|13|322")).members())
                .contains(SearchSpace.NAS_HPO_BENCH_2.parse("0|13|322"), SearchSpace.NAS_HPO_BENCH_2.parse("1|03|322"));
    }

    @Test
    void idsAreStableAcrossReleases() {
        // These ids are stored in every run key on disk: changing the canonical encoding breaks them.
        assertThat(canon("0|10|210").id()).isEqualTo("babd0b3a48c508c7");
        assertThat(canon("0|10|210").id()).matches("[0-9a-f]{16}");
        assertThat(SPACE.classes().stream().map(CellClass::id).distinct()).hasSize(1011);
    }

    @Test
    void classByIdFindsTheClassOrNamesTheBadId() {
        CellClass cls = SPACE.classOf(SearchSpace.NAS_HPO_BENCH_2.parse("0|10|210"));
        assertThat(SPACE.classById(cls.id())).isSameAs(cls);
        assertThatThrownBy(() -> SPACE.classById("nope"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("\"nope\"");
    }
}
