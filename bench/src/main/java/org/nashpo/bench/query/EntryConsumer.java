package org.nashpo.bench.query;

/** Receives one configuration's answer during a whole-table scan, as primitives. */
@FunctionalInterface
public interface EntryConsumer {

    /**
     * @param configIndex the configuration's index (PROTOCOL.md §4 order)
     * @param accuracy percent
     * @param cost simulated seconds; NaN in scans of 200-epoch predictions
     */
    void accept(int configIndex, double accuracy, double cost);
}
