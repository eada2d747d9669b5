package org.nashpo.core.format;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nashpo.core.space.CellCode;
import org.nashpo.core.space.SearchSpace;
import org.nashpo.schema.BenchmarkClass;
import org.nashpo.schema.BenchmarkCompleteness;
import org.nashpo.schema.BenchmarkConfiguration;
import org.nashpo.schema.BenchmarkRun;

class BenchmarkTablesTest {

    private static BenchmarkRun run(String cellcode, int seed, float lastTest, int completed, float totalTrain) {
        int epochs = 2;
        List<Float> acc = List.of(20f, lastTest);
        List<Float> loss = List.of(2f, 1f);
        List<Float> secs = Collections.nCopies(epochs, 1f);
        return BenchmarkRun.newBuilder()
                .setCellClassId(SearchSpace.NAS_HPO_BENCH_2.classOf(SearchSpace.NAS_HPO_BENCH_2.parse(cellcode)).id()).setCellcode(cellcode)
                .setLearningRate(0.05).setBatchSize(32).setSeed(seed).setEpochs(epochs).setEpochsCompleted(completed)
                .setParameters(10L).setMultiplyAdds(20L)
                .setTrainLoss(loss).setTrainAccuracy(acc).setValidLoss(loss).setValidAccuracy(acc)
                .setTestLoss(loss).setTestAccuracy(acc)
                .setTrainSeconds(secs).setValidSeconds(secs).setTestSeconds(secs)
                .setTotalTrainSeconds(totalTrain).setTotalTrainValidSeconds(totalTrain + 2).setTotalTestSeconds(2f)
                .build();
    }

    @Test
    void aConfigurationRowHoldsMeansAndPopulationStdsOfTheLastEpochOverItsSeeds() {
        BenchmarkConfiguration c = BenchmarkTables.configuration(List.of(
                run("0|10|210", 222, 60f, 2, 10f), run("0|10|210", 555, 70f, 1, 20f)));

        assertThat(c.getSeeds()).isEqualTo(2);
        assertThat(c.getDivergedRuns()).isEqualTo(1);
        assertThat(c.getEpochs()).isEqualTo(2);
        // (60 + 70) / 2 and sqrt(((60-65)^2 + (70-65)^2) / 2)
        assertThat(c.getMeanTestAccuracy()).isCloseTo(65.0, within(1e-9));
        assertThat(c.getStdTestAccuracy()).isCloseTo(5.0, within(1e-9));
        assertThat(c.getStdTrainLoss()).isZero();
        assertThat(c.getMeanTotalTrainSeconds()).isCloseTo(15.0, within(1e-9));
        assertThat(c.getMeanTotalTrainValidSeconds()).isCloseTo(17.0, within(1e-9));
    }

    @Test
    void runsOfDifferentConfigurationsOrARepeatedSeedAreRefused() {
        assertThatThrownBy(() -> BenchmarkTables.configuration(List.of(
                run("0|10|210", 222, 60f, 2, 1f), run("3|33|333", 555, 60f, 2, 1f))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("3|33|333 lr=0.05 batch=32 epochs=2 is not of the configuration of 0|10|210");
        assertThatThrownBy(() -> BenchmarkTables.configuration(List.of(
                run("0|10|210", 222, 60f, 2, 1f), run("0|10|210", 222, 61f, 2, 1f))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("seed 222");
    }

    @Test
    void aClassRowListsEveryMemberOfTheClass() {
        BenchmarkClass c = BenchmarkTables.classRow(SearchSpace.NAS_HPO_BENCH_2, "3|33|333", 5L, 6L);

        // every cell without a path from input to output is the one zero class
        assertThat(c.getCellcodes()).contains("3|33|333", "0|00|333", "1|11|333").doesNotContain("0|10|210");
        assertThat(c.getCellcodes()).isSorted();
        assertThat(c.getCellClassId()).isEqualTo(SearchSpace.NAS_HPO_BENCH_2.classOf(SearchSpace.NAS_HPO_BENCH_2.parse("0|00|333")).id());
        assertThat(c.getParameters()).isEqualTo(5L);
    }

    @Test
    void completenessListsEveryMissingKeyPerSeedWithoutBorrowingFromOtherSeeds() {
        String a = SearchSpace.NAS_HPO_BENCH_2.classOf(SearchSpace.NAS_HPO_BENCH_2.parse("0|10|210")).id();
        String b = SearchSpace.NAS_HPO_BENCH_2.classOf(SearchSpace.NAS_HPO_BENCH_2.parse("3|33|333")).id();
        List<BenchmarkTables.Present> rows = new ArrayList<>();
        for (String cls : List.of(a, b)) {
            for (int batch : List.of(16, 32)) {
                rows.add(new BenchmarkTables.Present(cls, 0.1, batch, 222, batch == 16));
            }
        }
        rows.add(new BenchmarkTables.Present(a, 0.1, 16, 555, false));

        List<BenchmarkCompleteness> entries = BenchmarkTables.completeness(SearchSpace.NAS_HPO_BENCH_2, "runs-3", 3, List.of(0.1),
                List.of(16, 32), List.of(555, 222), rows);

        assertThat(entries).extracting(BenchmarkCompleteness::getSeed).containsExactly(222, 555);
        BenchmarkCompleteness s222 = entries.get(0);
        assertThat(s222.getExpected()).isEqualTo(4L);
        assertThat(s222.getPresent()).isEqualTo(4L);
        assertThat(s222.getDiverged()).isEqualTo(2L);
        assertThat(s222.getMissing()).isEmpty();
        BenchmarkCompleteness s555 = entries.get(1);
        assertThat(s555.getPresent()).isEqualTo(1L);
        // sorted by the representative's cellcode: the zero class's is 0|00|333
        assertThat(SearchSpace.NAS_HPO_BENCH_2.classById(b).representative()).hasToString("0|00|333");
        assertThat(s555.getMissing()).containsExactly("0|00|333 lr=0.1 batch=16", "0|00|333 lr=0.1 batch=32",
                "0|10|210 lr=0.1 batch=32");
        assertThat(s555.getTable()).isEqualTo("runs-3");
    }
}
