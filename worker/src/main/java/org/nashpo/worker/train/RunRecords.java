package org.nashpo.worker.train;

import org.nashpo.core.run.RunKey;
import org.nashpo.core.space.CellCode;
import org.nashpo.core.run.TrainingProtocol;
import org.nashpo.core.space.NetworkCost;
import org.nashpo.schema.DataSubset;
import org.nashpo.schema.NetworkShape;
import org.nashpo.schema.Provenance;
import org.nashpo.schema.TrainingRun;

/** The Avro record of a run: the one place core's values become the file format, and back. */
public final class RunRecords {

    private RunRecords() {
    }

    /** The core key of a record; an error naming the record if the stored key is not a valid one. */
    public static RunKey key(TrainingRun run) {
        var k = run.getKey();
        return new RunKey(k.getProtocolId(), k.getCellClassId(), CellCode.parse(k.getCellcode()), k.getLearningRate(),
                k.getBatchSize(), k.getSeed(), k.getEpochs());
    }

    /**
     * The record of a run that could not be trained (after the scheduler's retries): no epochs, the
     * reason, and the provenance of the last attempt. It keeps the key visible as not done.
     */
    public static TrainingRun failed(RunKey key, TrainingProtocol protocol, String dataUri, String reason,
            Provenance provenance, double totalSeconds) {
        return of(key, protocol, dataUri,
                new Trainer.Outcome(org.nashpo.schema.RunStatus.FAILED, reason, java.util.List.of(),
                        NetworkCost.of(key.cellcode(), protocol.network()).parameters()),
                provenance, totalSeconds);
    }

    public static TrainingRun of(RunKey key, TrainingProtocol protocol, String dataUri, Trainer.Outcome outcome,
            Provenance provenance, double totalSeconds) {
        var shape = protocol.network();
        NetworkCost cost = NetworkCost.of(key.cellcode(), shape);
        if (outcome.parameters() != cost.parameters()) {
            throw new IllegalStateException("the network of " + key.cellcode() + " has " + outcome.parameters()
                    + " trainable parameters, the protocol says " + cost.parameters());
        }
        return TrainingRun.newBuilder()
                .setKey(org.nashpo.schema.RunKey.newBuilder()
                        .setProtocolId(key.protocolId())
                        .setCellClassId(key.cellClassId())
                        .setCellcode(key.cellcode().toString())
                        .setLearningRate(key.learningRate())
                        .setBatchSize(key.batchSize())
                        .setSeed(key.seed())
                        .setEpochs(key.epochs())
                        .build())
                .setNetwork(new NetworkShape(shape.width(), shape.cellsPerStage(), shape.stages()))
                .setData(new DataSubset(dataUri, protocol.trainSize(), protocol.validSize(), protocol.testSize()))
                .setPerEpoch(outcome.epochs())
                .setParameters(cost.parameters())
                .setMultiplyAdds(cost.multiplyAdds())
                .setTotalTimeSeconds(totalSeconds)
                .setStatus(outcome.status())
                .setStatusReason(outcome.reason())
                .setProvenance(provenance)
                .build();
    }
}
