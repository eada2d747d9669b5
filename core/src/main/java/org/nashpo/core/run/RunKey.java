package org.nashpo.core.run;

import java.io.Serializable;
import java.util.Objects;
import org.nashpo.core.StableId;
import org.nashpo.core.grid.Configuration;
import org.nashpo.core.space.CellCode;

/**
 * The identity of one training run: protocol, canonical cell class, learning rate, batch size,
 * seed and schedule length. Equivalent cellcodes share one key (the class's representative is
 * trained); readers de-duplicate runs by it. The cell is named in its id by its
 * {@linkplain CellCode#stableCode() stable code}, so a key does not depend on the space's other
 * operations or digit order: a space extended by an operation keeps every key it had.
 */
public record RunKey(String protocolId, String cellClassId, CellCode cellcode, double learningRate, int batchSize,
        int seed, int epochs) implements Serializable {

    public RunKey {
        Objects.requireNonNull(protocolId, "protocolId");
        Objects.requireNonNull(cellClassId, "cellClassId");
        Objects.requireNonNull(cellcode, "cellcode");
        new Configuration(cellcode, learningRate, batchSize);
        if (epochs < 1) {
            throw new IllegalArgumentException("epochs: must be ≥ 1, was " + epochs);
        }
        String expected = cellcode.space().classOf(cellcode).id();
        if (!expected.equals(cellClassId)) {
            throw new IllegalArgumentException("cellClassId: " + cellClassId + " is not the class of " + cellcode
                    + " (" + expected + ")");
        }
    }

    /** The key of training a configuration under a protocol: the cell's class representative is trained. */
    public static RunKey of(TrainingProtocol protocol, Configuration config, int seed, int epochs) {
        var cls = config.cell().space().classOf(config.cell());
        return new RunKey(protocol.id(), cls.id(), cls.representative(), config.learningRate(), config.batchSize(),
                seed, epochs);
    }

    /**
     * A stable 16-hex-digit name for the run (the first 64 bits of the SHA-256 of its key fields):
     * the name of its file in a construct output, so a listing shows what is done.
     */
    public String id() {
        return StableId.of(protocolId + "|" + cellClassId + "|" + cellcode.stableCode() + "|" + learningRate + "|" + batchSize + "|"
                + seed + "|" + epochs);
    }

    /**
     * Keys are equal when they name the same run: the same protocol, class, cell (by its stable code, whatever
     * the space whose digits wrote it), hyperparameters, seed and schedule, as {@link #id()} does.
     */
    @Override
    public boolean equals(Object o) {
        return o instanceof RunKey k && protocolId.equals(k.protocolId) && cellClassId.equals(k.cellClassId)
                && cellcode.stableCode().equals(k.cellcode.stableCode())
                && Double.compare(learningRate, k.learningRate) == 0 && batchSize == k.batchSize && seed == k.seed
                && epochs == k.epochs;
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(protocolId, cellClassId, cellcode.stableCode(), learningRate, batchSize, seed,
                epochs);
    }

    public Configuration configuration() {
        return new Configuration(cellcode, learningRate, batchSize);
    }

    @Override
    public String toString() {
        return cellcode + " lr=" + learningRate + " batch=" + batchSize + " seed=" + seed + " epochs=" + epochs
                + " protocol=" + protocolId;
    }
}
