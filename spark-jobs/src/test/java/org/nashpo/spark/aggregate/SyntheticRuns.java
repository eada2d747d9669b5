package org.nashpo.spark.aggregate;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.nashpo.core.space.CellCode;
import org.nashpo.core.space.SearchSpace;
import org.nashpo.schema.DataSubset;
import org.nashpo.schema.EpochMetrics;
import org.nashpo.schema.NetworkShape;
import org.nashpo.schema.Provenance;
import org.nashpo.schema.RunKey;
import org.nashpo.schema.RunStatus;
import org.nashpo.schema.TrainingRun;

/**
 * Training-run records (of the class representative of the cellcode given) with values that encode their key, so a test can tell from any row which run
 * it came from: test accuracy at epoch e = {@link #testAccuracy}, train time of every epoch
 * = 10 + batch size / 16 seconds.
 */
public final class SyntheticRuns {

    public static final String PROTOCOL = "synthetic-protocol";

    private SyntheticRuns() {
    }

    /** Percent; distinct per cell, lr, batch size, seed and epoch. */
    public static double testAccuracy(String cellcode, double lr, int batch, int seed, int epoch) {
        return 20 + SearchSpace.NAS_HPO_BENCH_2.parse(cellcode).index() % 40 + 10 * lr + batch / 64.0 + (seed % 7) + epoch;
    }

    public static double trainSeconds(int batch) {
        return 10 + batch / 16.0;
    }

    public static TrainingRun run(String cellcode, double lr, int batch, int seed, int epochs, RunStatus status,
            int epochsDone, Instant finished) {
        // the construct job trains each class's representative
        String representative = SearchSpace.NAS_HPO_BENCH_2.classOf(SearchSpace.NAS_HPO_BENCH_2.parse(cellcode)).representative().toString();
        List<EpochMetrics> perEpoch = new ArrayList<>();
        for (int e = 0; e < epochsDone; e++) {
            double acc = testAccuracy(cellcode, lr, batch, seed, e);
            perEpoch.add(EpochMetrics.newBuilder()
                    .setEpoch(e).setLearningRate(lr)
                    .setTrainLoss(2.0 - e * 0.1).setTrainAccuracy(acc + 1)
                    .setValidLoss(2.1 - e * 0.1).setValidAccuracy(acc - 1)
                    .setTestLoss(2.2 - e * 0.1).setTestAccuracy(acc)
                    .setTrainTimeSeconds(trainSeconds(batch)).setValidTimeSeconds(2).setTestTimeSeconds(1)
                    .setTrainEvalTimeSeconds(2.0)
                    .build());
        }
        return TrainingRun.newBuilder()
                .setKey(RunKey.newBuilder()
                        .setProtocolId(PROTOCOL)
                        .setCellClassId(SearchSpace.NAS_HPO_BENCH_2.classOf(SearchSpace.NAS_HPO_BENCH_2.parse(representative)).id())
                        .setCellcode(representative)
                        .setLearningRate(lr).setBatchSize(batch).setSeed(seed).setEpochs(epochs)
                        .build())
                .setNetwork(NetworkShape.newBuilder().setWidth(4).setCellsPerStage(1).setStages(3).build())
                .setData(DataSubset.newBuilder().setUri("file:///data").setTrainSize(64).setValidSize(32)
                        .setTestSize(32).build())
                .setPerEpoch(perEpoch)
                .setParameters(1000L + SearchSpace.NAS_HPO_BENCH_2.parse(cellcode).index())
                .setMultiplyAdds(5000L + SearchSpace.NAS_HPO_BENCH_2.parse(cellcode).index())
                .setTotalTimeSeconds(epochsDone * 13.0 + 1)
                .setStatus(status)
                .setStatusReason(status == RunStatus.COMPLETED ? null : status + " in a test")
                .setProvenance(Provenance.newBuilder()
                        .setNashpoVersion("test").setJavaVersion("17").setOs("Linux").setCpu("cpu").setHost("h")
                        .setDevice("cpu").setBackend("nd4j-native")
                        .setLibraryVersions(Map.of()).setDataChecksums(Map.of()).setRngSeed(seed)
                        .setStartedAt(finished.minusSeconds(60)).setFinishedAt(finished)
                        .build())
                .build();
    }

    public static TrainingRun completed(String cellcode, double lr, int batch, int seed, int epochs) {
        return run(cellcode, lr, batch, seed, epochs, RunStatus.COMPLETED, epochs, Instant.parse("2026-01-01T00:00:00Z"));
    }
}
