package org.nashpo.bench.synth;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nashpo.bench.SyntheticFixture;
import org.nashpo.bench.query.Benchmark;
import org.nashpo.bench.query.Mode;
import org.nashpo.core.grid.ConfigIndex;
import org.nashpo.core.grid.Configuration;
import org.nashpo.core.grid.HpGrid;
import org.nashpo.core.space.CellCode;
import org.nashpo.core.space.SearchSpace;
import org.nashpo.schema.BenchmarkFile;
import org.nashpo.schema.BenchmarkManifest;

/** The full-size synthetic benchmark: its shape, its determinism and the structure it promises. */
class SyntheticBenchmarkTest {

    private static final SearchSpace NHB2 = SearchSpace.NAS_HPO_BENCH_2;

    private static Benchmark bench;

    @BeforeAll
    static void open() {
        bench = SyntheticFixture.open();
    }

    @Test
    void hasTheFullShape() {
        BenchmarkManifest m = bench.manifest();

        assertThat(m.getSource()).isEqualTo(SyntheticBenchmark.SOURCE);
        assertThat(m.getProtocolId()).isEqualTo(SyntheticBenchmark.PROTOCOL_ID);
        assertThat(m.getCounts().getCellClasses()).isEqualTo(1011);
        assertThat(m.getCounts().getRuns()).isEqualTo(1011L * 48 * 3);
        assertThat(m.getCounts().getPredictions()).isEqualTo(196_608);
        assertThat(m.getProvenance()).containsEntry("seed", "42");
        // the runs diverged are some, not most
        assertThat(m.getCounts().getDivergedRuns()).isBetween(1_000L, 20_000L);
    }

    @Test
    void theSameSeedWritesTheSameBytesAndAnotherSeedOthers(@TempDir Path dir) {
        BenchmarkManifest again = SyntheticBenchmark.write(dir.resolve("again"), SyntheticFixture.SEED);
        BenchmarkManifest other = SyntheticBenchmark.write(dir.resolve("other"), SyntheticFixture.SEED + 1);

        List<String> original = bench.manifest().getFiles().stream().map(BenchmarkFile::getSha256).toList();
        assertThat(again.getFiles()).extracting(BenchmarkFile::getSha256).isEqualTo(original);
        assertThat(other.getFiles()).extracting(BenchmarkFile::getSha256).doesNotContainAnyElementsOf(original);
    }

    @Test
    void everyAnswerIsAFinitePercentageAndEveryCostPositive() {
        for (Mode mode : Mode.values()) {
            for (int seed : HpGrid.SEEDS) {
                for (int iepoch : new int[] {1, 6, 12}) {
                    bench.scan(mode, iepoch, seed, (index, accuracy, cost) -> {
                        if (!(accuracy >= 0 && accuracy <= 100 && cost > 0 && Double.isFinite(cost))) {
                            throw new AssertionError(index + " " + mode + " " + iepoch + " " + seed + ": " + accuracy
                                    + " % " + cost + " s");
                        }
                    });
                }
            }
        }
        bench.scanLong((index, accuracy, cost) -> assertThat(accuracy).isBetween(0.0, 100.0));
    }

    @Test
    void accuraciesArePlausibleAndTheLongScheduleIsBetter() {
        double[] best12 = {0};
        double[] best200 = {0};
        bench.scan(Mode.VALID, 12, 222, (index, accuracy, cost) -> best12[0] = Math.max(best12[0], accuracy));
        bench.scanLong((index, accuracy, cost) -> best200[0] = Math.max(best200[0], accuracy));

        assertThat(best12[0]).isBetween(85.0, 95.0);
        assertThat(best200[0]).isBetween(best12[0], 97.0);
        // a cell with no input→output path is at chance, whatever the HPs
        int zero = ConfigIndex.indexOf(new Configuration(NHB2.parse("3|33|333"), 0.1, 64));
        assertThat(bench.accuracy(zero, Mode.TEST, 12, 555)).isEqualTo(10.0);
    }

    @Test
    void divergedRunsAreLargeLearningRatesWithSmallBatchesAtChance() {
        int diverged = 0;
        for (int cell = 0; cell < NHB2.size(); cell += 7) {
            for (int hp = 0; hp < 48; hp++) {
                int index = cell * 48 + hp;
                for (int seed : HpGrid.SEEDS) {
                    if (bench.epochsCompleted(index, seed) < 12) {
                        diverged++;
                        double lr = HpGrid.LEARNING_RATES.get(hp / 6);
                        int batch = HpGrid.BATCH_SIZES.get(hp % 6);
                        assertThat(lr / batch).as("lr/batch of a diverged run").isGreaterThanOrEqualTo(0.1 / 64);
                        assertThat(bench.accuracy(index, Mode.VALID, 12, seed)).isEqualTo(10.0);
                    }
                }
            }
        }
        assertThat(diverged).isPositive();
    }

    @Test
    void costsGrowWithMultiplyAddsAndWithEpochs() {
        int small = ConfigIndex.indexOf(new Configuration(NHB2.parse("2|22|222"), 0.025, 128));
        int large = ConfigIndex.indexOf(new Configuration(NHB2.parse("0|00|000"), 0.025, 128));

        assertThat(bench.multiplyAdds(large)).isGreaterThan(bench.multiplyAdds(small));
        assertThat(bench.cost(large, Mode.VALID, 12, 222)).isGreaterThan(3 * bench.cost(small, Mode.VALID, 12, 222));
        // a full 12-epoch train+valid run of the largest cell costs minutes, as on a GPU
        assertThat(bench.cost(large, Mode.VALID, 12, 222)).isBetween(150.0, 900.0);
        for (int i = 1; i < 12; i++) {
            assertThat(bench.cost(large, Mode.TEST, i + 1, 888)).isGreaterThan(bench.cost(large, Mode.TEST, i, 888));
        }
        // small batches pay a per-batch overhead
        int smallBatch = ConfigIndex.indexOf(new Configuration(NHB2.parse("2|22|222"), 0.025, 16));
        assertThat(bench.cost(smallBatch, Mode.TRAIN, 12, 222)).isGreaterThan(bench.cost(small, Mode.TRAIN, 12, 222));
    }

    @Test
    void equivalentCellsShareEveryAnswerIncludingThePrediction() {
        var cls = NHB2.classes().stream().filter(c -> c.size() > 1).findFirst().orElseThrow();
        int a = cls.members().get(0).index() * 48 + 20;
        int b = cls.members().get(1).index() * 48 + 20;

        assertThat(bench.accuracy(a, Mode.VALID, 7, 555)).isEqualTo(bench.accuracy(b, Mode.VALID, 7, 555));
        assertThat(bench.longAccuracy(a)).isEqualTo(bench.longAccuracy(b));
    }
}
