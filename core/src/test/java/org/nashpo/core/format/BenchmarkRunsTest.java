package org.nashpo.core.format;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nashpo.core.space.CellCode;
import org.nashpo.core.data.Dataset;
import org.nashpo.core.space.SearchSpace;
import org.nashpo.schema.BenchmarkRun;
import org.nashpo.schema.DataSubset;
import org.nashpo.schema.EpochMetrics;
import org.nashpo.schema.NetworkShape;
import org.nashpo.schema.Provenance;
import org.nashpo.schema.RunKey;
import org.nashpo.schema.RunStatus;
import org.nashpo.schema.TrainingRun;

class BenchmarkRunsTest {

    private static final String CELL = "0|10|210";

    private static TrainingRun run(RunStatus status, int epochsDone, double wallTime) {
        return run(status, epochsDone, wallTime, 3.0);
    }

    /** trainEvalTime null: a record of schema v1/v2, before the train-set evaluation had a field. */
    private static TrainingRun run(RunStatus status, int epochsDone, double wallTime, Double trainEvalTime) {
        List<EpochMetrics> epochs = new ArrayList<>();
        for (int e = 0; e < epochsDone; e++) {
            epochs.add(new EpochMetrics(e, 0.1, 2.0 - 0.1 * e, 30.0 + e, 2.1 - 0.1 * e, 29.0 + e, 2.2 - 0.1 * e,
                    28.0 + e, 10.0 + e, 2.0, 1.0, trainEvalTime == null ? null : trainEvalTime + e));
        }
        return TrainingRun.newBuilder()
                .setKey(new RunKey("proto", SearchSpace.NAS_HPO_BENCH_2.classOf(SearchSpace.NAS_HPO_BENCH_2.parse(CELL)).id(), CELL, 0.1, 64, 555, 12, null))
                .setNetwork(new NetworkShape(16, 5, 3, null))
                .setData(new DataSubset("file:///d", 25_000, 25_000, 10_000, null, null))
                .setPerEpoch(epochs).setParameters(802_730L).setMultiplyAdds(113_951_360L)
                .setTotalTimeSeconds(wallTime).setStatus(status)
                .setProvenance(new Provenance("v", null, "17", "linux", "cpu", "h", null, "cpu", null, null, "nd4j",
                        Map.of(), Map.of(), 555L, null, java.time.Instant.EPOCH, java.time.Instant.EPOCH))
                .build();
    }

    @Test
    void aCompletedRunKeepsItsValuesAndTotalsAreSumsOfItsEpochTimes() {
        BenchmarkRun row = BenchmarkRuns.fromTrainingRun(run(RunStatus.COMPLETED, 12, 500));

        assertThat(row.getCellcode()).isEqualTo(CELL);
        assertThat(row.getSeed()).isEqualTo(555);
        assertThat(row.getEpochsCompleted()).isEqualTo(12);
        assertThat(row.getValidAccuracy()).hasSize(12).startsWith(29f, 30f).endsWith(40f);
        assertThat(row.getTrainSeconds()).endsWith(21f);
        // train: 10 + 11 + ... + 21 = 186; valid 24; test 12
        assertThat(row.getTotalTrainSeconds()).isEqualTo(186f);
        assertThat(row.getTotalTrainValidSeconds()).isEqualTo(210f);
        assertThat(row.getTotalTestSeconds()).isEqualTo(12f);
        // the train-set evaluation, 3 + 4 + ... + 14 = 102 s, is kept apart and in no total above
        assertThat(row.getTrainEvalSeconds()).hasSize(12).startsWith(3f, 4f).endsWith(14f);
        assertThat(row.getTotalTrainEvalSeconds()).isEqualTo(102f);
    }

    @Test
    void aRecordBeforeSchemaV3HasNoTrainEvaluationTime() {
        BenchmarkRun row = BenchmarkRuns.fromTrainingRun(run(RunStatus.COMPLETED, 12, 500, null));

        assertThat(row.getTrainEvalSeconds()).isNull();
        assertThat(row.getTotalTrainEvalSeconds()).isNull();
        assertThat(row.getTotalTrainValidSeconds()).isEqualTo(210f);
    }

    @Test
    void aDivergedRunIsFilledAtChanceWithTheMeanEpochTime() {
        BenchmarkRun row = BenchmarkRuns.fromTrainingRun(run(RunStatus.DIVERGED, 4, 500));

        assertThat(row.getEpochsCompleted()).isEqualTo(4);
        assertThat(row.getTestAccuracy()).hasSize(12).startsWith(28f, 29f, 30f, 31f)
                .containsOnlyOnce(31f).endsWith(BenchmarkLayout.CHANCE_ACCURACY);
        assertThat(row.getTrainLoss().get(4)).isEqualTo(BenchmarkLayout.CHANCE_LOSS);
        // trained epochs took 10, 11, 12, 13 s: the other eight are charged their mean, 11.5 s
        assertThat(row.getTrainSeconds().subList(4, 12)).containsOnly(11.5f);
        assertThat(row.getTotalTrainSeconds()).isEqualTo(46f + 8 * 11.5f);
        // likewise the train-set evaluation: 3, 4, 5, 6 s, then their mean 4.5 s
        assertThat(row.getTrainEvalSeconds().subList(4, 12)).containsOnly(4.5f);
        assertThat(row.getTotalTrainEvalSeconds()).isEqualTo(18f + 8 * 4.5f);
    }

    @Test
    void aDivergedRunOnAnotherDataSetIsFilledAtItsChance() {
        TrainingRun cifar100 = run(RunStatus.DIVERGED, 4, 500);
        cifar100.getData().setDataset("cifar100");
        cifar100.getData().setSplit("nas-bench-201");
        BenchmarkRun row = BenchmarkRuns.fromTrainingRun(cifar100);
        assertThat(row.getTestAccuracy().subList(4, 12)).containsOnly(1f);
        assertThat(row.getTrainLoss().get(4)).isEqualTo((float) Math.log(100));

        TrainingRun in16 = run(RunStatus.DIVERGED, 4, 500);
        in16.getData().setDataset("imagenet16-120");
        assertThat(BenchmarkRuns.fromTrainingRun(in16).getValidAccuracy().get(11)).isEqualTo(100f / 120);
        assertThat(BenchmarkLayout.chanceAccuracy(Dataset.CIFAR10)).isEqualTo(BenchmarkLayout.CHANCE_ACCURACY);
        assertThat(BenchmarkLayout.chanceLoss(Dataset.CIFAR10)).isEqualTo(BenchmarkLayout.CHANCE_LOSS);

        in16.getData().setDataset("svhn");
        assertThatThrownBy(() -> BenchmarkRuns.fromTrainingRun(in16)).hasMessageEndingWith(
                ": data.dataset \"svhn\" is not a known data set; expected one of cifar10, cifar100, imagenet16-120");
    }

    @Test
    void aRunThatDivergedInItsFirstEpochIsChargedItsWallTime() {
        BenchmarkRun row = BenchmarkRuns.fromTrainingRun(run(RunStatus.DIVERGED, 0, 7.5));

        assertThat(row.getTrainSeconds()).hasSize(12).containsOnly(7.5f);
        assertThat(row.getValidSeconds()).containsOnly(0f);
        assertThat(row.getValidAccuracy()).containsOnly(BenchmarkLayout.CHANCE_ACCURACY);
    }

    @Test
    void failedAndShortCompletedRunsAreNotResults() {
        assertThatThrownBy(() -> BenchmarkRuns.fromTrainingRun(run(RunStatus.FAILED, 3, 1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("status FAILED");
        assertThatThrownBy(() -> BenchmarkRuns.fromTrainingRun(run(RunStatus.COMPLETED, 11, 1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("COMPLETED with 11 epochs recorded; expected 12");
    }
}
