package org.nashpo.bench.synth;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nashpo.bench.Nb201Fixture;
import org.nashpo.bench.query.Answer;
import org.nashpo.bench.query.Benchmark;
import org.nashpo.bench.query.Mode;
import org.nashpo.bench.query.Query;
import org.nashpo.core.format.Manifests;
import org.nashpo.core.grid.ConfigIndex;
import org.nashpo.core.grid.Configuration;
import org.nashpo.core.network.NetworkFamily;
import org.nashpo.core.space.CellClass;
import org.nashpo.core.space.CellCode;
import org.nashpo.core.space.SearchSpace;
import org.nashpo.schema.BenchmarkManifest;

/** A synthetic benchmark of NAS-Bench-201's space and network: its shape, and queries as its users name cells. */
class SyntheticNb201Test {

    private static final SearchSpace NB201 = SearchSpace.NAS_BENCH_201;
    private static Benchmark bench;

    @BeforeAll
    static void open() {
        bench = Nb201Fixture.open();
    }

    @Test
    void hasNasBench201sShapeAndItsManifestNamesTheSpace() {
        BenchmarkManifest m = bench.manifest();

        assertThat(m.getFormatVersion()).isEqualTo(2);
        assertThat(m.getSpace().getFamily()).isEqualTo("nas-bench-201");
        assertThat(m.getSpace().getOperations()).containsExactly("zero", "skip", "conv1x1", "conv3x3", "avgpool3x3");
        assertThat(Manifests.searchSpace(m)).isEqualTo(NB201);
        assertThat(bench.space()).isEqualTo(NB201);
        assertThat(bench.family()).isEqualTo(NetworkFamily.NAS_BENCH_201);
        assertThat(bench.configurationCount()).isEqualTo(15_625 * 48);
        assertThat(m.getCounts().getCellClasses()).isEqualTo(5_425);
        assertThat(m.getCounts().getRuns()).isEqualTo(5_425L * 48);
        assertThat(m.getCounts().getConfigurations()).isEqualTo(15_625 * 48);
        assertThat(m.getCounts().getPredictions()).isEqualTo(15_625L * 48);
        assertThat(m.getCompleteness()).singleElement().satisfies(c -> {
            assertThat(c.getTable()).isEqualTo("runs-12");
            assertThat(c.getSeed()).isEqualTo(Nb201Fixture.TRAINING_SEED);
            assertThat(c.getExpected()).isEqualTo(5_425L * 48).isEqualTo(c.getPresent());
            assertThat(c.getMissing()).isEmpty();
        });
        assertThat(m.getProvenance()).containsEntry("classes", "5425")
                .containsEntry("network", "width 16, 5 cells per stage, 3 stages, nas-bench-201 network");
        assertThat(bench.describeSpace()).isEqualTo("[zero, skip, conv1x1, conv3x3, avgpool3x3] (nas-bench-201)");
    }

    @Test
    void answersQueriesByCellcodeAndByArchitectureString() {
        String arch = "|nor_conv_3x3~0|+|nor_conv_3x3~0|skip_connect~1|+|avg_pool_3x3~0|skip_connect~1|none~2|";
        CellCode byDigits = bench.cell("3|31|410");
        CellCode byArch = bench.cell(arch);
        Query q = Query.of(byArch, 0.05, 64);

        assertThat(byArch).isEqualTo(byDigits);
        assertThat(byDigits.index()).isEqualTo(((((3 * 5 + 3) * 5 + 1) * 5 + 4) * 5 + 1) * 5);
        assertThat(q.configIndex()).isEqualTo(byDigits.index() * 48 + 4 * 6 + 2);
        assertThat(bench.configuration(q.configIndex())).isEqualTo(new Configuration(byDigits, 0.05, 64));
        assertThat(bench.archStrings()).isTrue();
        assertThat(bench.cellName(byDigits)).isEqualTo("3|31|410 " + arch);
        Answer a = bench.query(q);
        assertThat(a.accuracy()).isEqualTo(bench.query(Query.of(byDigits, 0.05, 64)).accuracy())
                .isEqualTo(bench.accuracy(q.configIndex(), Mode.VALID, 12, Nb201Fixture.TRAINING_SEED))
                .isBetween(60.0, 95.0);
        assertThat(a.cost().orElseThrow()).isPositive();
        assertThat(bench.query(q.withEpoch(200)).accuracy()).isEqualTo(bench.longAccuracy(q.configIndex()));
        // a cell of NAS-HPO-Bench-II's space is the cell of the same operations here
        CellCode nhb2 = byDigits.in(SearchSpace.NAS_HPO_BENCH_2);
        assertThat(nhb2).hasToString("0|02|123");
        assertThat(bench.indexOf(new Configuration(nhb2, 0.05, 64))).isEqualTo(q.configIndex());
    }

    @Test
    void everyOperationCountsByWhatItComputes() {
        double conv3x3 = longAccuracy("3|33|333");
        double conv1x1 = longAccuracy("2|22|222");
        double skip = longAccuracy("1|11|111");

        assertThat(longAccuracy("0|00|000")).isEqualTo(10.0);
        assertThat(conv3x3).isGreaterThan(conv1x1);
        assertThat(conv1x1).isGreaterThan(skip);
        assertThat(skip).isGreaterThan(10.0);
        int big = index("3|33|333");
        int small = index("2|22|222");
        assertThat(bench.multiplyAdds(big)).isGreaterThan(bench.multiplyAdds(small))
                .isGreaterThan(bench.multiplyAdds(index("4|44|444")));
        assertThat(bench.cost(big, Mode.VALID, 12, 222)).isGreaterThan(bench.cost(small, Mode.VALID, 12, 222));
        // equivalent cells share every answer
        CellClass cls = NB201.classes().stream().filter(c -> c.size() > 1).findFirst().orElseThrow();
        List<CellCode> members = cls.members();
        int a = members.get(0).index() * 48 + 20;
        int b = members.get(1).index() * 48 + 20;
        assertThat(bench.accuracy(a, Mode.TEST, 5, 222)).isEqualTo(bench.accuracy(b, Mode.TEST, 5, 222));
    }

    private static int index(String cell) {
        return ConfigIndex.indexOf(new Configuration(bench.cell(cell), 0.05, 64));
    }

    private static double longAccuracy(String cell) {
        return bench.longAccuracy(index(cell));
    }
}
