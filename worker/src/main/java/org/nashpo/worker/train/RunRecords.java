package org.nashpo.worker.train;

import java.util.List;
import org.nashpo.core.data.DataSplit;
import org.nashpo.core.data.Dataset;
import org.nashpo.core.network.NetworkCost;
import org.nashpo.core.network.NetworkFamily;
import org.nashpo.core.run.RunKey;
import org.nashpo.core.run.TrainingProtocol;
import org.nashpo.core.space.SearchSpace;
import org.nashpo.schema.DataSubset;
import org.nashpo.schema.NetworkShape;
import org.nashpo.schema.Provenance;
import org.nashpo.schema.RunStatus;
import org.nashpo.schema.TrainingRun;

/**
 * The Avro record of a run: the one place core's values become the file format, and back. A record
 * names its space ({@code key.operations}, the operations in the digit order its cellcode is written in),
 * its network family ({@code network.family}) and its data set and split ({@code data.dataset},
 * {@code data.split}); they are null for NAS-HPO-Bench-II's, so its records are written as before the fields
 * existed, and records written before them read as NAS-HPO-Bench-II's.
 */
public final class RunRecords {

    private RunRecords() {
    }

    /** The core key of a record, its cellcode read in the record's own space; an error naming what is wrong. */
    public static RunKey key(TrainingRun run) {
        var k = run.getKey();
        return new RunKey(k.getProtocolId(), k.getCellClassId(), space(run).parse(k.getCellcode()), k.getLearningRate(),
                k.getBatchSize(), k.getSeed(), k.getEpochs());
    }

    /** The space a record's cellcode is written in: {@code key.operations}, or NAS-HPO-Bench-II's when null. */
    public static SearchSpace space(TrainingRun run) {
        List<String> operations = run.getKey().getOperations();
        if (operations == null) {
            return SearchSpace.NAS_HPO_BENCH_2;
        }
        try {
            return SearchSpace.ofNames(operations);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("key.operations " + operations + ": " + e.getMessage(), e);
        }
    }

    /** The network family of a record: {@code network.family}, or NAS-HPO-Bench-II's when null. */
    public static NetworkFamily family(TrainingRun run) {
        String family = run.getNetwork().getFamily();
        if (family == null) {
            return NetworkFamily.NAS_HPO_BENCH_2;
        }
        return NetworkFamily.bySpecName(family).orElseThrow(() -> new IllegalArgumentException(
                "network.family \"" + family + "\" is not a known family; expected one of "
                        + String.join(", ", NetworkFamily.specNames())));
    }

    /** The network a record's run trained: its shape in its family, on its data set. */
    public static org.nashpo.core.network.NetworkShape shape(TrainingRun run) {
        NetworkShape n = run.getNetwork();
        return new org.nashpo.core.network.NetworkShape(n.getWidth(), n.getCellsPerStage(), n.getStages(),
                family(run), dataset(run));
    }

    /** The data set of a record: {@code data.dataset}, or CIFAR-10 when null. */
    public static Dataset dataset(TrainingRun run) {
        String dataset = run.getData().getDataset();
        if (dataset == null) {
            return Dataset.CIFAR10;
        }
        return Dataset.bySpecName(dataset).orElseThrow(() -> new IllegalArgumentException(
                "data.dataset \"" + dataset + "\" is not a known data set; expected one of "
                        + String.join(", ", Dataset.specNames())));
    }

    /** How a record's data set was divided: {@code data.split}, or NAS-HPO-Bench-II's when null. */
    public static DataSplit split(TrainingRun run) {
        String split = run.getData().getSplit();
        if (split == null) {
            return DataSplit.NAS_HPO_BENCH_2;
        }
        DataSplit named = DataSplit.bySpecName(split).orElseThrow(() -> new IllegalArgumentException(
                "data.split \"" + split + "\" is not a known split; expected one of "
                        + String.join(", ", DataSplit.specNames())));
        if (!named.supports(dataset(run))) {
            throw new IllegalArgumentException("data.split " + split + " does not divide " + dataset(run));
        }
        return named;
    }

    /**
     * The protocol a record's run would follow if it were trained today: its network, data subset, split and the
     * data checksums its provenance names, under this version's recipe ({@link TrainingProtocol#RECIPE}).
     */
    public static TrainingProtocol protocolToday(TrainingRun run) {
        var d = run.getData();
        return new TrainingProtocol(shape(run), d.getTrainSize(), d.getValidSize(), d.getTestSize(),
                run.getProvenance().getDataChecksums(), split(run));
    }

    /**
     * Whether a record was trained under this version's recipe: its protocol id is the one its network and data
     * give today. A record of an older recipe (or of no protocol this version can state) is not.
     */
    public static boolean isOfTodaysRecipe(TrainingRun run) {
        try {
            return protocolToday(run).id().equals(run.getKey().getProtocolId());
        } catch (IllegalArgumentException notStatable) {
            return false;
        }
    }

    /**
     * The record of a run that could not be trained (after the scheduler's retries): no epochs, the
     * reason, and the provenance of the last attempt. It keeps the key visible as not done.
     */
    public static TrainingRun failed(RunKey key, TrainingProtocol protocol, String dataUri, String reason,
            Provenance provenance, double totalSeconds) {
        return of(key, protocol, dataUri,
                new Trainer.Outcome(RunStatus.FAILED, reason, List.of(),
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
                .setKey(keyRecord(key))
                .setNetwork(networkRecord(shape))
                .setData(dataRecord(dataUri, protocol))
                .setPerEpoch(outcome.epochs())
                .setParameters(cost.parameters())
                .setMultiplyAdds(cost.multiplyAdds())
                .setTotalTimeSeconds(totalSeconds)
                .setStatus(outcome.status())
                .setStatusReason(outcome.reason())
                .setProvenance(provenance)
                .build();
    }

    /**
     * A key as a record holds it: the cellcode in its space's digits, and the space's operations unless it is
     * NAS-HPO-Bench-II's (null, as every record before spaces).
     */
    public static org.nashpo.schema.RunKey keyRecord(RunKey key) {
        SearchSpace space = key.cellcode().space();
        return org.nashpo.schema.RunKey.newBuilder()
                .setProtocolId(key.protocolId())
                .setCellClassId(key.cellClassId())
                .setCellcode(key.cellcode().toString())
                .setLearningRate(key.learningRate())
                .setBatchSize(key.batchSize())
                .setSeed(key.seed())
                .setEpochs(key.epochs())
                .setOperations(space.equals(SearchSpace.NAS_HPO_BENCH_2) ? null : space.operationNames())
                .build();
    }

    /**
     * The data a run saw as a record holds it: its data set and split unless they are NAS-HPO-Bench-II's CIFAR-10
     * (both null, as every record before data sets).
     */
    public static DataSubset dataRecord(String dataUri, TrainingProtocol protocol) {
        boolean nasHpoBench2 = protocol.network().dataset() == Dataset.CIFAR10
                && protocol.split() == DataSplit.NAS_HPO_BENCH_2;
        return new DataSubset(dataUri, protocol.trainSize(), protocol.validSize(), protocol.testSize(),
                nasHpoBench2 ? null : protocol.network().dataset().specName(),
                nasHpoBench2 ? null : protocol.split().specName());
    }

    /** A network shape as a record holds it: the family unless it is NAS-HPO-Bench-II's (null). */
    public static NetworkShape networkRecord(org.nashpo.core.network.NetworkShape shape) {
        return new NetworkShape(shape.width(), shape.cellsPerStage(), shape.stages(),
                shape.family() == NetworkFamily.NAS_HPO_BENCH_2 ? null : shape.family().specName());
    }
}
