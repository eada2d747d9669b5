package org.nashpo.core.run;

import java.io.Serializable;
import java.util.Objects;
import org.nashpo.core.StableId;
import org.nashpo.core.grid.Configuration;
import org.nashpo.core.space.CellCode;
import org.nashpo.core.space.SearchSpace;

/**
 * The identity of one training run: protocol, canonical cell class, learning rate, batch size,
 * seed and schedule length. Equivalent cellcodes share one key (the class's representative is
 * trained); readers de-duplicate runs by it.
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
        String expected = SearchSpace.get().classOf(cellcode).id();
        if (!expected.equals(cellClassId)) {
            throw new IllegalArgumentException("cellClassId: " + cellClassId + " is not the class of " + cellcode
                    + " (" + expected + ")");
        }
    }

    /** The key of training a configuration under a protocol: the cell's class representative is trained. */
    public static RunKey of(TrainingProtocol protocol, Configuration config, int seed, int epochs) {
        var cls = SearchSpace.get().classOf(config.cell());
        return new RunKey(protocol.id(), cls.id(), cls.representative(), config.learningRate(), config.batchSize(),
                seed, epochs);
    }

    /**
     * A stable 16-hex-digit name for the run (the first 64 bits of the SHA-256 of its key fields):
     * the name of its file in a construct output, so a listing shows what is done.
     */
    public String id() {
        return StableId.of(protocolId + "|" + cellClassId + "|" + cellcode + "|" + learningRate + "|" + batchSize + "|"
                + seed + "|" + epochs);
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
