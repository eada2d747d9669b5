package org.nashpo.worker.train;

import org.nashpo.core.run.RunKey;
import org.nashpo.core.run.TrainingProtocol;
import org.nashpo.core.space.NetworkCost;
import org.nashpo.schema.DataSubset;
import org.nashpo.schema.NetworkShape;
import org.nashpo.schema.Provenance;
import org.nashpo.schema.TrainingRun;

/** The Avro record of a finished run: the one place core's values become the file format. */
public final class RunRecords {

    private RunRecords() {
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
