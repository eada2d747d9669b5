package org.nashpo.worker.train;

import java.time.Instant;
import java.util.Objects;
import java.util.function.Consumer;
import org.nashpo.core.run.RunKey;
import org.nashpo.core.run.TrainingProtocol;
import org.nashpo.schema.EpochMetrics;
import org.nashpo.schema.TrainingRun;
import org.nashpo.worker.nn.Backend;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Trains one run end to end and returns its record: binds the device, trains, collects
 * provenance. The entry point for {@code nashpo train} and for the construct job's tasks.
 */
public final class RunTrainer {

    /**
     * Where a run executes.
     *
     * @param executorId Spark executor id, null outside Spark
     * @param gpuAddress the GPU address Spark assigned to the task, null for none
     * @param threads ND4J threads for this run (≤ 0: one per core)
     * @param specHash hash of the spec that asked for the run, null for none
     */
    public record Placement(String executorId, String gpuAddress, int threads, String specHash) {
        public static final Placement STANDALONE = new Placement(null, null, 0, null);
    }

    private RunTrainer() {
    }

    public static TrainingRun train(RunKey key, TrainingProtocol protocol, TrainingData data, Placement placement,
            Consumer<EpochMetrics> onEpoch) {
        Objects.requireNonNull(key, "key");
        if (!key.protocolId().equals(protocol.id())) {
            throw new IllegalArgumentException("run key protocol " + key.protocolId() + " is not the protocol given ("
                    + protocol.id() + ")");
        }
        if (data.train().size() != protocol.trainSize() || data.valid().size() != protocol.validSize()
                || data.test().size() != protocol.testSize()) {
            throw new IllegalArgumentException("the data loaded (" + data.train().size() + "/" + data.valid().size() + "/"
                    + data.test().size() + " images) is not the protocol's subset (" + protocol.trainSize() + "/"
                    + protocol.validSize() + "/" + protocol.testSize() + ")");
        }
        // the device first: nothing of the run may be allocated before the thread is bound to its GPU
        Backend.configure(placement.threads());
        String device = Backend.bindDevice(placement.gpuAddress());
        Instant started = Instant.now();
        long start = System.nanoTime();
        Trainer.Outcome outcome;
        try {
            outcome = new Trainer(protocol.network(), data.train(), data.valid(), data.test()).train(key, onEpoch);
        } finally {
            // Spark reuses task threads, and the next run on this one may be on another GPU: leave nothing bound
            Nd4j.getWorkspaceManager().destroyAllWorkspacesForCurrentThread();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        var provenance = Provenance.collect(placement.executorId(), placement.gpuAddress(), device,
                protocol.dataChecksums(), key.seed(), placement.specHash(), started, Instant.now());
        return RunRecords.of(key, protocol, data.uri(), outcome, provenance, seconds);
    }
}
