package org.nashpo.worker.train;

import org.nashpo.core.space.SearchSpace;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nashpo.core.grid.Configuration;
import org.nashpo.core.run.RunKey;
import org.nashpo.core.space.CellCode;
import org.nashpo.core.network.NetworkCost;
import org.nashpo.core.network.NetworkShape;
import org.nashpo.schema.EpochMetrics;
import org.nashpo.schema.RunStatus;
import org.nashpo.schema.TrainingRun;
import org.nashpo.worker.data.CifarDirectory;
import org.nashpo.worker.data.Subset;
import org.nashpo.worker.data.TestData;
import org.nd4j.linalg.factory.Nd4j;

/** Real CIFAR-10 images (the repository's subset) through the whole run: load, train, record. */
class TrainerIT {

    private static final NetworkShape SMALL = new NetworkShape(8, 1, 3);
    private static TrainingSets.Loaded loaded;

    @BeforeAll
    static void load() {
        CifarDirectory dir = TrainingSets.open(TestData.miniDirectory().toString());
        loaded = TrainingSets.load(dir, new Subset(256, 128, 128), SMALL);
    }

    @Test
    void theMiniSetSupportsItsDocumentedSubset() {
        Subset all = TrainingSets.available(TrainingSets.open(TestData.miniDirectory().toString()));
        assertThat(all).isEqualTo(new Subset(2022, 1978, 1000));
    }

    @Test
    void aRunOnRealImagesProducesACompleteRecord() {
        RunKey key = RunKey.of(loaded.protocol(), new Configuration(SearchSpace.NAS_HPO_BENCH_2.parse("0|10|210"), 0.05, 32), 222, 2);
        List<EpochMetrics> seen = new ArrayList<>();
        TrainingRun run = Trainer.run(key, loaded.protocol(), loaded.data(), Trainer.Placement.STANDALONE,
                seen::add);
        assertThat(run.getStatus()).isEqualTo(RunStatus.COMPLETED);
        assertThat(run.getPerEpoch()).hasSize(2).isEqualTo(seen);
        assertThat(run.getKey().getProtocolId()).isEqualTo(loaded.protocol().id());
        assertThat(run.getKey().getCellcode()).isEqualTo(key.cellcode().toString());
        assertThat(run.getParameters()).isEqualTo(NetworkCost.of(key.cellcode(), SMALL).parameters());
        assertThat(run.getData().getTrainSize()).isEqualTo(256);
        assertThat(run.getProvenance().getDevice()).isEqualTo("cpu");
        assertThat(run.getProvenance().getDataChecksums())
                .containsKeys("data_batch_1.bin", "test_batch.bin", "split-train.txt", "split-valid.txt");
        assertThat(run.getProvenance().getLibraryVersions()).containsEntry("nd4j-api", "1.0.0-M2.1");
        assertThat(run.getProvenance().getBackend()).contains("oneDNN on");
        assertThat(run.getProvenance().getFinishedAt()).isAfterOrEqualTo(run.getProvenance().getStartedAt());
        // every epoch's four timers run inside the run's own: the total is at least their sum
        double epochs = run.getPerEpoch().stream().mapToDouble(m -> m.getTrainTimeSeconds() + m.getTrainEvalTimeSeconds()
                + m.getValidTimeSeconds() + m.getTestTimeSeconds()).sum();
        assertThat(run.getTotalTimeSeconds()).isGreaterThanOrEqualTo(epochs);
        // the engine allocates its arrays itself and opens no ND4J workspace: a run leaves none on the
        // thread (Spark reuses task threads), with nothing to clean up
        assertThat(Nd4j.getWorkspaceManager().getAllWorkspacesForCurrentThread()).isEmpty();
    }

    @Test
    void aKeyOfAnotherProtocolIsRefused() {
        var other = TrainingSets.load(TrainingSets.open(TestData.miniDirectory().toString()),
                new Subset(64, 64, 64), SMALL);
        RunKey key = RunKey.of(other.protocol(), new Configuration(SearchSpace.NAS_HPO_BENCH_2.parse("0|10|210"), 0.05, 32), 222, 1);
        assertThatThrownBy(() -> Trainer.run(key, loaded.protocol(), loaded.data(), Trainer.Placement.STANDALONE,
                m -> { })).hasMessageContaining("is not the protocol given");
    }
}
